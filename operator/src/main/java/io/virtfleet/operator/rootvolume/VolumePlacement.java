package io.virtfleet.operator.rootvolume;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.image.CatalogImages;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.Demand;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;

import java.util.Optional;

/** Binds a RootVolume to a node (once: volumes are local) and records it in {@code Scheduled}. */
final class VolumePlacement {
    private final NodeScheduler scheduler;
    private final Conditions conditions;

    VolumePlacement(NodeScheduler scheduler, Conditions conditions) {
        this.scheduler = scheduler;
        this.conditions = conditions;
    }

    /** The node, or the outcome of a volume that has none yet. */
    record Placed(Optional<String> node, Optional<Outcome<RootVolumePhase>> waiting) {
    }

    /**
     * @param pin   the node the volume must be on ({@code spec.nodeName}, or a clone's source's node); null: any
     * @param image the image it is populated from (a catalogue image resolved), so that nodes caching it come first;
     *              null for a clone
     */
    Placed place(RootVolume volume, RootVolumeStatus status, long generation, String pin,
                 CatalogImages.Resolved image) {
        RootVolumeSpec spec = volume.getSpec();
        NodeScheduler.Placement placement = scheduler.place(key(volume), status.getNodeName(), pin,
                spec.getNodeSelector(), demand(spec, image));
        if (placement.nodeName().isEmpty()) {
            conditions.set(status, generation, ConditionType.Scheduled, false, placement.reason(),
                    placement.message());
            return new Placed(Optional.empty(), Optional.of(Outcome.notReady(RootVolumePhase.Pending,
                    placement.reason(), placement.message(), RootVolumeReconciler.RETRY_AFTER_FAILURE)));
        }
        String node = placement.nodeName().get();
        if (status.getNodeName() == null) {
            conditions.set(status, generation, ConditionType.Scheduled, true, placement.reason(),
                    placement.message());
            status.setNodeName(node);
            status.setPhase(RootVolumePhase.Scheduled);
        }
        return new Placed(Optional.of(node), Optional.empty());
    }

    /** Gives the volume's reserved room back (deletion). */
    void release(RootVolume volume) {
        scheduler.release(key(volume));
    }

    static String key(RootVolume volume) {
        return ClusterCommitments.key("RootVolume", volume.getMetadata().getNamespace(),
                volume.getMetadata().getName());
    }

    static Demand demand(RootVolumeSpec spec, CatalogImages.Resolved image) {
        return image == null ? Demand.storage(Quantities.bytes(spec.getSize()), spec.getStorage(), null, null)
                : Demand.storage(Quantities.bytes(spec.getSize()), spec.getStorage(), image.knownSha256(),
                image.source().getUrl());
    }
}
