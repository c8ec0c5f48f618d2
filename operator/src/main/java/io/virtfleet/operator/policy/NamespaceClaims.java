package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.base.HardwareMaxima;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.policy.QuotaCheck.Claim;
import io.virtfleet.operator.policy.QuotaCheck.Footprint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What each object of a namespace claims from its quota. A VM claims its vCPUs, memory, data disks and its template's
 * size; the RootVolume it created from that template claims nothing more (counted once, through the VM). Any other
 * RootVolume claims its size.
 */
public final class NamespaceClaims {
    private NamespaceClaims() {
    }

    public static List<Claim> of(Collection<VirtualMachine> machines, Collection<RootVolume> volumes) {
        List<Claim> claims = new ArrayList<>();
        machines.forEach(vm -> claims.add(of(vm)));
        volumes.forEach(volume -> claims.add(of(volume, machines)));
        return claims;
    }

    public static Claim of(VirtualMachine vm) {
        VirtualMachineSpec spec = vm.getSpec();
        long disks = spec.getDataDisks() == null ? 0
                : spec.getDataDisks().stream().mapToLong(d -> Quantities.bytes(d.getSize())).sum();
        long template = spec.getRootVolume() == null || spec.getRootVolume().getTemplate() == null ? 0
                : Quantities.bytes(spec.getRootVolume().getTemplate().getSize());
        boolean placed = vm.getStatus() != null && vm.getStatus().getNodeName() != null;
        return new Claim("VirtualMachine", vm.getMetadata().getName(), created(vm), placed,
                new Footprint(HardwareMaxima.vcpus(spec), HardwareMaxima.memoryBytes(spec), disks + template));
    }

    public static Claim of(RootVolume volume, Collection<VirtualMachine> machines) {
        boolean placed = volume.getStatus() != null && volume.getStatus().getNodeName() != null;
        Footprint footprint = machines.stream().anyMatch(vm -> isTemplateVolumeOf(volume, vm)) ? Footprint.NONE
                : new Footprint(0, 0, Quantities.bytes(volume.getSpec().getSize()));
        return new Claim("RootVolume", volume.getMetadata().getName(), created(volume), placed, footprint);
    }

    /**
     * True only for {@code <vm>-root} controlled by that VM (its UID) while the VM uses a template: a tenant cannot
     * escape the quota by pointing an ownerReference at some VM.
     */
    public static boolean isTemplateVolumeOf(RootVolume volume, VirtualMachine vm) {
        return vm.getSpec() != null && vm.getSpec().getRootVolume() != null
                && vm.getSpec().getRootVolume().getTemplate() != null
                && volume.getMetadata().getName().equals(vm.getMetadata().getName() + "-root")
                && isControlledBy(volume, vm);
    }

    public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController())
                        && owner.getMetadata().getUid() != null && owner.getMetadata().getUid().equals(o.getUid()));
    }

    private static Instant created(HasMetadata object) {
        try {
            String stamp = object.getMetadata().getCreationTimestamp();
            return stamp == null ? null : Instant.parse(stamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
