package io.virtfleet.operator.rootvolume;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.operator.agent.AgentClient;

import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notices promptly when long work on an agent moves on: while a volume downloads or populates, one long poll per
 * volume waits on its agent for the next phase and wakes the RootVolume's reconcile the moment it comes. However the
 * poll ends (the phase moved, the wait ran out, the call failed) the reconcile is woken: it reads the volume itself
 * and watches again while work runs, so a lost answer never leaves the volume unwatched. The reconciler's own
 * reschedule stays as the slower refresh of progress figures.
 */
final class VolumeProgressWatch extends AbstractEventSource<Void, RootVolume> {
    /** Just under the agent's ceiling (60 s): a poll that ends without a move costs a call and a reconcile. */
    static final Duration LONG_POLL = Duration.ofSeconds(55);
    /** How soon a poll that ended without a move (ran out, failed) wakes the reconcile. */
    static final Duration AFTER_A_QUIET_POLL = Duration.ofSeconds(1);
    /**
     * Long polls held open per agent at most: each holds a connection and an agent thread. Beyond this (a burst of
     * hundreds of volumes on one node) the rest wait in line for a poll, and the reconciler's own refresh notices
     * them meanwhile.
     */
    static final int MAX_PER_AGENT = 16;

    private final Set<ResourceID> watching = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> perAgent = new ConcurrentHashMap<>();
    /** Volumes that found their agent's polls all taken, in order: a freed poll wakes the first of them. */
    private final ConcurrentHashMap<String, Queue<ResourceID>> waitingPerAgent = new ConcurrentHashMap<>();

    VolumeProgressWatch() {
        super(Void.class, "volume-progress");
    }

    /** Progress is a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(RootVolume primary) {
        return Set.of();
    }

    /**
     * Starts a long poll for the volume unless one is already waiting or its agent has enough open.
     *
     * @return whether a poll watches the volume now (its phase moves wake the reconcile at once)
     */
    boolean watch(RootVolume volume, AgentClient agent, String agentName, VolumePhase seen) {
        ResourceID id = ResourceID.fromResource(volume);
        if (!isRunning() || watching.contains(id)) {
            return isRunning();
        }
        AtomicInteger open = perAgent.computeIfAbsent(agent.nodeName(), node -> new AtomicInteger());
        Queue<ResourceID> waiting = waitingPerAgent.computeIfAbsent(agent.nodeName(),
                node -> new ConcurrentLinkedQueue<>());
        if (open.incrementAndGet() > MAX_PER_AGENT || !watching.add(id)) {
            open.decrementAndGet();
            if (!waiting.contains(id)) {
                waiting.add(id);
            }
            return false;
        }
        waiting.remove(id);
        try {
            agent.whenVolumePhaseMoves(agentName, seen, LONG_POLL)
                    .whenComplete((moved, failure) -> ended(id, open, waiting, Boolean.TRUE.equals(moved)));
        } catch (RuntimeException e) {
            ended(id, open, waiting, false);
            throw e;
        }
        return true;
    }

    /**
     * The poll is over, whatever its answer: the slot is free again and the reconcile looks for itself, at once when
     * the phase moved, after {@link #AFTER_A_QUIET_POLL} otherwise (an agent that answers a poll at once without a
     * move, an older one say, must not spin the reconcile).
     */
    private void ended(ResourceID id, AtomicInteger open, Queue<ResourceID> waiting, boolean moved) {
        watching.remove(id);
        open.decrementAndGet();
        // The freed poll goes to the volume that has waited longest for one: its reconcile takes it.
        ResourceID next = waiting.poll();
        if (next != null) {
            wake(next);
        }
        if (moved) {
            wake(id);
        } else {
            CompletableFuture.delayedExecutor(AFTER_A_QUIET_POLL.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> wake(id));
        }
    }

    private void wake(ResourceID id) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(id));
        }
    }
}
