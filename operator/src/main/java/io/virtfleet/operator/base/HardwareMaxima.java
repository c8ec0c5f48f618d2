package io.virtfleet.operator.base;

import io.virtfleet.crds.v1alpha1.LiveUpdate;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;

/**
 * The most vCPUs and memory a VM can have without a restart: {@code spec.liveUpdate}'s maxima, else the requested
 * values. Placement and quotas count these, because a running VM reaches them by a live change that nobody schedules
 * again.
 */
public final class HardwareMaxima {
    private HardwareMaxima() {
    }

    public static int vcpus(VirtualMachineSpec spec) {
        int requested = spec.getVcpus() == null ? 0 : spec.getVcpus();
        LiveUpdate live = spec.getLiveUpdate();
        return live == null || live.getMaxVcpus() == null ? requested : Math.max(requested, live.getMaxVcpus());
    }

    public static long memoryBytes(VirtualMachineSpec spec) {
        long requested = Quantities.bytes(spec.getMemory());
        LiveUpdate live = spec.getLiveUpdate();
        return live == null || live.getMaxMemory() == null ? requested
                : Math.max(requested, Quantities.bytes(live.getMaxMemory()));
    }
}
