package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.base.HardwareMaxima;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.Demand;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;

import java.util.Optional;

/**
 * A VM with {@code rootVolume.template} is placed as a whole (memory, vCPUs, volume and data disks, host devices,
 * cache affinity), then records the host devices chosen and creates its owned root volume pinned to that node. A VM with a named volume is not placed here: it goes where
 * its volume is ({@link VolumeGate#bind}).
 */
final class TemplatePlacement {
    private final NodeScheduler scheduler;
    private final OwnedRootVolumes owned;
    private final Conditions conditions;

    TemplatePlacement(NodeScheduler scheduler, OwnedRootVolumes owned, Conditions conditions) {
        this.scheduler = scheduler;
        this.owned = owned;
        this.conditions = conditions;
    }

    /** The owned root volume once the VM is placed, or the outcome of a VM that must wait. */
    record Placed(Optional<RootVolume> volume, Optional<Outcome<VirtualMachinePhase>> waiting) {
        static Placed waiting(Outcome<VirtualMachinePhase> outcome) {
            return new Placed(Optional.empty(), Optional.of(outcome));
        }
    }

    Placed place(VirtualMachine vm, VirtualMachineStatus status, long generation, Optional<RootVolume> rootVolume) {
        VirtualMachineSpec spec = vm.getSpec();
        NodeScheduler.Placement placement = scheduler.place(key(vm), status.getNodeName(), spec.getNodeName(),
                spec.getNodeSelector(), demand(spec));
        if (placement.nodeName().isEmpty()) {
            conditions.set(status, generation, ConditionType.Scheduled, false, placement.reason(),
                    placement.message());
            return Placed.waiting(Outcome.notReady(VirtualMachinePhase.Pending, placement.reason(),
                    placement.message(), VirtualMachineReconciler.RETRY_AFTER_FAILURE));
        }
        String node = placement.nodeName().get();
        if (status.getNodeName() == null) {
            status.setNodeName(node);
            HostDeviceAssignment.record(spec, status, placement.deviceAddresses());
            conditions.set(status, generation, ConditionType.Scheduled, true, placement.reason(),
                    placement.message());
        }
        OwnedRootVolumes.Ensured ensured = owned.ensure(vm, rootVolume, node);
        return ensured.refused()
                .map(p -> Placed.waiting(Outcome.notReady(VirtualMachinePhase.Failed, p.reason(), p.message(),
                        VirtualMachineReconciler.RETRY_AFTER_FAILURE)))
                .orElseGet(() -> new Placed(ensured.volume(), Optional.empty()));
    }

    /** Gives the VM's reserved room back (deletion). */
    void release(VirtualMachine vm) {
        scheduler.release(key(vm));
    }

    static Demand demand(VirtualMachineSpec spec) {
        RootVolumeSpec template = spec.getRootVolume().getTemplate();
        long disks = spec.getDataDisks() == null ? 0
                : spec.getDataDisks().stream().mapToLong(d -> Quantities.bytes(d.getSize())).sum();
        return new Demand(Quantities.bytes(template.getSize()) + disks, template.getStorage(),
                HardwareMaxima.memoryBytes(spec), HardwareMaxima.vcpus(spec), template.getImage().getSha256(),
                template.getImage().getUrl(), HostDeviceAssignment.resourceNames(spec));
    }

    private static String key(VirtualMachine vm) {
        return ClusterCommitments.key("VirtualMachine", vm.getMetadata().getNamespace(), vm.getMetadata().getName());
    }
}
