package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.Provisioning;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.base.RootVolumeNames;
import io.virtfleet.operator.finalizer.FinalizerRelease;
import io.virtfleet.operator.policy.NamespaceClaims;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;

import java.util.Map;
import java.util.Optional;

/**
 * The RootVolume a VM creates from {@code spec.rootVolume.template}: named {@code <vm>-root}, pinned to the VM's
 * node, owned by the VM (an owner reference, so a cluster's garbage collector removes it too) and deleted by the
 * VM's finalizer, but only while the VM controls it (an ownerReference with the VM's UID): a same-named volume of
 * someone else is refused and never deleted. A RootVolume named in {@code spec.rootVolume.name} is only referenced,
 * never changed.
 */
final class OwnedRootVolumes {
    static final String OWNER_LABEL = "virtfleet.io/owner-vm";

    private final KubernetesClient client;

    OwnedRootVolumes(KubernetesClient client) {
        this.client = client;
    }

    static String nameFor(VirtualMachine vm) {
        return RootVolumeNames.ownedBy(vm);
    }

    /** Owned means controlled by this VM's UID: an ownerReference to the VM that is not the controller is not enough. */
    static boolean isOwned(RootVolume volume, VirtualMachine vm) {
        return NamespaceClaims.isControlledBy(volume, vm);
    }

    /** A {@code <vm>-root} that exists and is not this VM's: the VM may neither use nor delete it. */
    static Optional<Problem> foreign(VirtualMachine vm, Optional<RootVolume> existing) {
        return existing.filter(volume -> !isOwned(volume, vm)).map(volume -> nameTaken(vm));
    }

    private static Problem nameTaken(VirtualMachine vm) {
        return new Problem(Reason.ROOT_VOLUME_NAME_TAKEN, "spec.rootVolume.template: RootVolume " + nameFor(vm)
                + " already exists in namespace " + vm.getMetadata().getNamespace() + " and is not controlled by this "
                + "VM; it is left alone. Rename the VM, or refer to that volume with spec.rootVolume.name instead");
    }

    /** The owned volume (found, or created just now), or why there is none. */
    record Ensured(Optional<RootVolume> volume, Optional<Problem> refused) {
    }

    /**
     * Creates the owned volume on {@code node} when it does not exist yet; refuses a same-named foreign one. A volume
     * created here is returned at once: the informer has not seen it yet, and the VM need not wait for that.
     */
    Ensured ensure(VirtualMachine vm, Optional<RootVolume> existing, String node) {
        if (existing.isPresent()) {
            return isOwned(existing.get(), vm) ? new Ensured(existing, Optional.empty())
                    : new Ensured(Optional.empty(), Optional.of(nameTaken(vm)));
        }
        RootVolumeSpec template = vm.getSpec().getRootVolume().getTemplate();
        RootVolumeSpec spec = client.getKubernetesSerialization().clone(template);
        spec.setNodeName(node);
        spec.setNodeSelector(null);
        spec.setReprovisionToken(vm.getSpec().getReprovisionToken());
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(nameFor(vm));
        volume.getMetadata().setNamespace(vm.getMetadata().getNamespace());
        volume.getMetadata().setLabels(Map.of(OWNER_LABEL, vm.getMetadata().getName()));
        volume.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder()
                .withApiVersion(vm.getApiVersion()).withKind(vm.getKind()).withName(vm.getMetadata().getName())
                .withUid(vm.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build()));
        volume.setSpec(spec);
        try {
            return new Ensured(Optional.of(client.resource(volume).create()), Optional.empty());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // Created by someone else since the informer last looked.
                return new Ensured(Optional.empty(), Optional.of(nameTaken(vm)));
            }
            throw e;
        }
    }

    /**
     * Asks the owned volume for a fresh copy of the image: its reprovisionToken becomes the VM's, and its provisioning
     * the template's (a change of {@code template.provisioning} takes effect with the VM's next reprovision, the one
     * moment the RootVolume accepts it).
     */
    void reprovision(RootVolume volume, String token, Provisioning provisioning) {
        client.resources(RootVolume.class).inNamespace(volume.getMetadata().getNamespace())
                .withName(volume.getMetadata().getName())
                .edit(v -> {
                    v.getSpec().setReprovisionToken(token);
                    v.getSpec().setProvisioning(provisioning);
                    return v;
                });
    }

    /**
     * Deletes {@code <vm>-root} only when this VM controls it. The informer's copy may be missing (not seen yet), so
     * the API's current one decides.
     *
     * @param releaseFrom the node an admin released the VM from: the volume carries the same release
     */
    void deleteIfControlled(VirtualMachine vm, Optional<RootVolume> cached, Optional<String> releaseFrom) {
        var resource = client.resources(RootVolume.class).inNamespace(vm.getMetadata().getNamespace())
                .withName(nameFor(vm));
        RootVolume current = cached.filter(v -> isOwned(v, vm)).isPresent() ? cached.get() : resource.get();
        if (current != null && isOwned(current, vm)) {
            releaseFrom.ifPresent(node -> resource.edit(v -> {
                Map<String, String> annotations = new java.util.HashMap<>(
                        v.getMetadata().getAnnotations() == null ? Map.of() : v.getMetadata().getAnnotations());
                annotations.put(FinalizerRelease.ANNOTATION, node);
                v.getMetadata().setAnnotations(annotations);
                return v;
            }));
            resource.delete();
        }
    }
}
