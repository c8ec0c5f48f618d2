package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.TenantPolicySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.fixtures.HostPrerequisites;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** Objects, look-ups and waits the end-to-end tests share; one namespace per test. */
final class Fleet {
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final KubernetesClient client;
    private final String namespace;

    Fleet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    static RootVolumeSpec volumeSpec(String size) {
        return SampleObjects.volumeSpec(size);
    }

    /** A volume spec pinned to a node. */
    static RootVolumeSpec volumeOn(String node) {
        RootVolumeSpec spec = volumeSpec("64Mi");
        spec.setNodeName(node);
        return spec;
    }

    RootVolume createVolume(String name, RootVolumeSpec spec) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(name);
        volume.getMetadata().setNamespace(namespace);
        volume.setSpec(spec);
        return client.resource(volume).create();
    }

    VirtualMachine createVm(String name, RootVolumeSpec template, Map<String, String> selector) {
        return client.resource(SampleObjects.vm(namespace, name, template, selector)).create();
    }

    RootVolume volume(String name) {
        return client.resources(RootVolume.class).inNamespace(namespace).withName(name).get();
    }

    VirtualMachine vm(String name) {
        return client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
    }

    /** A Secret of string values in this namespace. */
    Secret createSecret(String name, Map<String, String> values, Map<String, String> labels) {
        return client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels).endMetadata().withStringData(values).build()).create();
    }

    /** A Secret that opted in to cloud-init seeds (label virtfleet.io/cloud-init: "true"). */
    Secret createSeedSecret(String name, Map<String, String> values) {
        return createSecret(name, values, Map.of(CLOUD_INIT_LABEL, "true"));
    }

    static final String CLOUD_INIT_LABEL = "virtfleet.io/cloud-init";

    /** A TenantPolicy for this namespace alone (selected by its name label), allowing what {@code allow} sets. */
    TenantPolicy allow(java.util.function.Consumer<TenantPolicySpec> allow) {
        TenantPolicySpec spec = new TenantPolicySpec();
        spec.setNamespaceSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace)).build());
        allow.accept(spec);
        TenantPolicy policy = new TenantPolicy();
        policy.getMetadata().setName("test-" + namespace + "-" + UUID.randomUUID().toString().substring(0, 4));
        policy.setSpec(spec);
        return client.resource(policy).create();
    }

    RootVolume awaitVolumeReady(String name) {
        return await().atMost(TIMEOUT).until(() -> volume(name),
                v -> v != null && v.getStatus() != null && v.getStatus().getPhase() == RootVolumePhase.Ready);
    }

    VirtualMachine awaitPhase(String name, VirtualMachinePhase phase) {
        return await().atMost(TIMEOUT).until(() -> vm(name),
                v -> v != null && v.getStatus() != null && v.getStatus().getPhase() == phase);
    }

    /** Changes the spec of a VM as a user would (a new generation). */
    VirtualMachine editSpec(String name, Consumer<VirtualMachineSpec> change) {
        return client.resource(vm(name)).edit(vm -> {
            change.accept(vm.getSpec());
            return vm;
        });
    }

    VirtualMachine setRunStrategy(String name, RunStrategy strategy) {
        return editSpec(name, spec -> spec.setRunStrategy(strategy));
    }

    static Optional<Condition> condition(ConditionedStatus status, String type) {
        return status == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean isTrue(ConditionedStatus status, String type) {
        return condition(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Whether libvirt has a domain of that name, and its active state. */
    static Optional<Boolean> domainActive(String name) throws LibvirtException {
        Connect libvirt = new Connect(HostPrerequisites.LIBVIRT_URI);
        try {
            return Optional.of(libvirt.domainLookupByName(name).isActive() == 1);
        } catch (LibvirtException e) {
            return Optional.empty();
        } finally {
            libvirt.close();
        }
    }
}
