package io.virtfleet.operator.rootvolume;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.operator.agent.AgentClient;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices promptly when long work on an agent moves on: while a volume downloads or populates, one long poll per
 * volume waits on its agent for the next phase and wakes the RootVolume's reconcile the moment it comes. The
 * reconciler's own reschedule stays as the slower refresh of progress figures and as the safety net.
 */
final class VolumeProgressWatch extends AbstractEventSource<Void, RootVolume> {
    static final Duration LONG_POLL = Duration.ofSeconds(20);

    private final Set<ResourceID> watching = ConcurrentHashMap.newKeySet();

    VolumeProgressWatch() {
        super(Void.class, "volume-progress");
    }

    /** Progress is a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(RootVolume primary) {
        return Set.of();
    }

    /** Starts a long poll for the volume unless one is already waiting. */
    void watch(RootVolume volume, AgentClient agent, String agentName, VolumePhase seen) {
        ResourceID id = ResourceID.fromResource(volume);
        if (!isRunning() || !watching.add(id)) {
            return;
        }
        agent.whenVolumePhaseMoves(agentName, seen, LONG_POLL).whenComplete((moved, failure) -> {
            watching.remove(id);
            if (Boolean.TRUE.equals(moved) && isRunning()) {
                getEventHandler().handleEvent(new Event(id));
            }
        });
    }
}
