package io.virtfleet.operator.base;

import io.virtfleet.crds.v1alpha1.VirtualMachine;

/** Which RootVolume a VM boots from: the one it names, or the {@code <vm>-root} it creates from its template. */
public final class RootVolumeNames {
    private RootVolumeNames() {
    }

    public static String ownedBy(VirtualMachine vm) {
        return vm.getMetadata().getName() + "-root";
    }

    public static String of(VirtualMachine vm) {
        String named = vm.getSpec() == null || vm.getSpec().getRootVolume() == null ? null
                : vm.getSpec().getRootVolume().getName();
        return named != null ? named : ownedBy(vm);
    }
}
