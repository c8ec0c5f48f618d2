package io.virtfleet.operator.policy;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.spec.Problem;

import java.util.List;
import java.util.Optional;

/**
 * The namespace's policy applied to one object, before any agent call: allowances first, then (for an object not
 * placed yet) the quota.
 */
public final class TenantGate {
    private final TenantPolicies policies;
    private final ClusterCommitments objects;
    private final ImageAllowance images;

    /** @param images the catalogue's allowance for {@code image.catalog} references */
    public TenantGate(TenantPolicies policies, ClusterCommitments objects, ImageAllowance images) {
        this.policies = policies;
        this.objects = objects;
        this.images = images;
    }

    public Optional<Problem> admit(RootVolume volume) {
        String namespace = volume.getMetadata().getNamespace();
        EffectivePolicy policy = policies.of(namespace);
        Optional<Problem> refused = PolicyChecks.volume(volume.getSpec(), "spec", policy)
                .or(() -> image(namespace, volume.getSpec(), "spec.image"));
        if (refused.isPresent() || policy.quotas().isEmpty()) {
            return refused;
        }
        List<VirtualMachine> machines = objects.machinesIn(namespace);
        return QuotaCheck.admit(NamespaceClaims.of(volume, machines),
                NamespaceClaims.of(machines, objects.volumesIn(namespace)), policy);
    }

    private Optional<Problem> image(String namespace, RootVolumeSpec spec, String field) {
        return spec == null || spec.getImage() == null ? Optional.empty()
                : images.refusal(namespace, spec.getImage(), field);
    }

    public Optional<Problem> admit(VirtualMachine vm) {
        String namespace = vm.getMetadata().getNamespace();
        EffectivePolicy policy = policies.of(namespace);
        Optional<Problem> refused = PolicyChecks.virtualMachine(vm.getSpec(), policy)
                .or(() -> vm.getSpec().getRootVolume() == null ? Optional.empty()
                        : image(namespace, vm.getSpec().getRootVolume().getTemplate(), "spec.rootVolume.template.image"));
        if (refused.isPresent() || policy.quotas().isEmpty()) {
            return refused;
        }
        return QuotaCheck.admit(NamespaceClaims.of(vm),
                NamespaceClaims.of(objects.machinesIn(namespace), objects.volumesIn(namespace)), policy);
    }
}
