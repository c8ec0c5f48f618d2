package io.virtfleet.operator.scheduling;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Reason;

import java.util.Set;
import java.util.function.Function;

/**
 * Wakes the objects waiting for room ({@code Scheduled=False}, reason {@code InsufficientCapacity}) as soon as a placed
 * VirtualMachine is gone from the cluster, so that a VM waiting for the GPU, memory or vCPUs another one held is placed
 * at once instead of on its next retry. The trigger is the informer's delete event: by then the gone VM no longer
 * counts in the commitments, so the woken reconcile sees the room.
 */
public final class CapacityEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    private final IndexerResourceCache<P> primaries;
    private final Function<P, ConditionedStatus> statusOf;

    public CapacityEventSource(NodeScheduler scheduler, IndexerResourceCache<P> primaries,
                               Function<P, ConditionedStatus> statusOf) {
        super(Void.class, "capacity");
        this.primaries = primaries;
        this.statusOf = statusOf;
        scheduler.onCapacityFreed(this::freed);
    }

    /** Freed capacity is a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }

    /** Whether the object's last placement found no room. */
    static boolean waitingForRoom(ConditionedStatus status) {
        return Conditions.find(status, ConditionType.Scheduled)
                .filter(c -> "False".equals(c.getStatus()) && Reason.INSUFFICIENT_CAPACITY.equals(c.getReason()))
                .isPresent();
    }

    private void freed() {
        if (!isRunning()) {
            return;
        }
        primaries.list(p -> waitingForRoom(statusOf.apply(p)))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }
}
