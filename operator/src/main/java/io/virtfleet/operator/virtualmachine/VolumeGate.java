package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Orders the VM after its root volume: the volume must exist and be Ready before the domain is defined, and the VM
 * runs where the volume is. Each check writes {@code VolumeReady} (or {@code Scheduled}) and ends the reconcile while
 * it does not hold; the RootVolume informer wakes the VM when the volume changes, the delays are a safety net.
 */
final class VolumeGate {
    /** An owned volume was just asked for: the informer brings it within moments. */
    private static final Duration OWNED_VOLUME_EXPECTED = Duration.ofSeconds(2);
    /** A volume's Ready reasons while it is simply at work (no trouble to report). */
    private static final Set<String> AT_WORK = Set.of(Reason.DOWNLOADING, Reason.POPULATING, Reason.IN_PROGRESS,
            Reason.VOLUME_READY);

    private final Conditions conditions;
    private final Duration settled;

    VolumeGate(Conditions conditions, Duration settled) {
        this.conditions = conditions;
        this.settled = settled;
    }

    Optional<Outcome<VirtualMachinePhase>> exists(VirtualMachine vm, VirtualMachineStatus status, long generation,
                                                  String volumeName, boolean owned, Optional<RootVolume> volume) {
        if (volume.isPresent()) {
            return Optional.empty();
        }
        conditions.set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_FOUND,
                "RootVolume " + volumeName + " does not exist in namespace " + vm.getMetadata().getNamespace());
        return Optional.of(Outcome.notReady(VirtualMachinePhase.Pending, Reason.ROOT_VOLUME_NOT_FOUND,
                "waiting for RootVolume " + volumeName,
                owned ? OWNED_VOLUME_EXPECTED : VirtualMachineReconciler.RETRY_AFTER_FAILURE));
    }

    Optional<Outcome<VirtualMachinePhase>> ready(VirtualMachineStatus status, long generation, RootVolume volume) {
        String volumeName = volume.getMetadata().getName();
        if (!isReady(volume)) {
            conditions.set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_READY,
                    notReadyMessage(volume));
            return Optional.of(Outcome.notReady(VirtualMachinePhase.Provisioning, Reason.ROOT_VOLUME_NOT_READY,
                    "waiting for RootVolume " + volumeName, VirtualMachineReconciler.RETRY_AFTER_FAILURE));
        }
        conditions.set(status, generation, ConditionType.VolumeReady, true, Reason.VOLUME_READY,
                "RootVolume " + volumeName + " is Ready on node " + volume.getStatus().getNodeName());
        return Optional.empty();
    }

    /**
     * The VM runs on its volume's node: a spec.nodeName elsewhere is {@code NodeMismatch}; a VM with a named volume is
     * bound (Scheduled) here, a template VM was bound when it was placed.
     */
    Optional<Outcome<VirtualMachinePhase>> bind(VirtualMachine vm, VirtualMachineStatus status, long generation,
                                                RootVolume volume, boolean owned) {
        String node = volume.getStatus().getNodeName();
        String pinned = vm.getSpec().getNodeName();
        if (pinned != null && !pinned.equals(node)) {
            return Optional.of(Outcome.notReady(VirtualMachinePhase.Failed, Reason.NODE_MISMATCH,
                    "spec.nodeName is " + pinned + " but RootVolume " + volume.getMetadata().getName()
                            + " lives on node " + node, settled));
        }
        if (!owned) {
            status.setNodeName(node);
            conditions.set(status, generation, ConditionType.Scheduled, true, Reason.BOUND,
                    "runs on node " + node + ", where its root volume is");
        }
        return Optional.empty();
    }

    /**
     * Why the volume is not Ready, as far as the VM should repeat it: a volume at work says only that (its own status
     * shows each step and its progress; echoing them here would cost a VM status write per step), a volume in trouble
     * says what the trouble is.
     */
    private static String notReadyMessage(RootVolume volume) {
        String name = volume.getMetadata().getName();
        return Conditions.find(volume.getStatus(), ConditionType.Ready)
                .filter(c -> !AT_WORK.contains(c.getReason()))
                .map(c -> "RootVolume " + name + " is not Ready (" + c.getReason() + ": " + c.getMessage() + ")")
                .orElse("RootVolume " + name + " is being provisioned (kubectl get rootvolume " + name + ")");
    }

    static boolean isReady(RootVolume volume) {
        return volume.getStatus() != null && volume.getStatus().getPhase() == RootVolumePhase.Ready
                && Conditions.isTrue(volume.getStatus(), ConditionType.Ready);
    }
}
