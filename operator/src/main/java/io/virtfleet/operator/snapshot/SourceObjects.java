package io.virtfleet.operator.snapshot;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.operator.base.RootVolumeNames;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the objects a snapshot or restore names, always in the snapshot's or restore's own namespace (a name can
 * reach nothing in another), and says what is missing as an {@link Outcome}.
 */
final class SourceObjects {
    static final Duration WAIT = Duration.ofSeconds(5);

    private SourceObjects() {
    }

    /** A VM and the RootVolume it boots from, Ready on its node. */
    record Source(VirtualMachine vm, RootVolume volume) {
        String node() {
            return volume.getStatus().getNodeName();
        }
    }

    /** The VM and its Ready RootVolume, or why the caller must wait (Pending). */
    static Result source(KubernetesClient client, String namespace, String vmName) {
        VirtualMachine vm = client.resources(VirtualMachine.class).inNamespace(namespace).withName(vmName).get();
        if (vm == null) {
            return waiting(Reason.VIRTUAL_MACHINE_NOT_FOUND, "VirtualMachine " + vmName + " does not exist in namespace "
                    + namespace);
        }
        String volumeName = RootVolumeNames.of(vm);
        RootVolume volume = client.resources(RootVolume.class).inNamespace(namespace).withName(volumeName).get();
        if (volume == null || volume.getStatus() == null || volume.getStatus().getPhase() != RootVolumePhase.Ready
                || volume.getStatus().getNodeName() == null) {
            return waiting(Reason.ROOT_VOLUME_NOT_READY, "RootVolume " + volumeName + " of VirtualMachine " + vmName
                    + " is not Ready; the snapshot waits for it");
        }
        return new Result(Optional.of(new Source(vm, volume)), Optional.empty());
    }

    /** Either the source or the outcome that ends this reconcile. */
    record Result(Optional<Source> source, Optional<Outcome<SnapshotPhase>> waiting) {
    }

    private static Result waiting(String reason, String message) {
        return new Result(Optional.empty(), Optional.of(Outcome.notReady(SnapshotPhase.Pending, reason, message, WAIT)));
    }
}
