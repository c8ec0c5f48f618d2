package io.virtfleet.operator.scheduling;

import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each node's {@link HostCapacity}, read from its agent and kept for a short while: placing a thousand objects must
 * not cost a thousand capacity calls per node, and the scheduler's own reservations cover what changed since.
 */
public final class HostCapacities implements CapacitySource {
    private final AgentDirectory agents;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(HostCapacity capacity, Instant at) {
    }

    public HostCapacities(AgentDirectory agents, Clock clock, Duration maxAge) {
        this.agents = agents;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    public Optional<HostCapacity> of(String node) {
        Reading reading = readings.get(node);
        Instant now = clock.instant();
        if (reading != null && reading.at().plus(maxAge).isAfter(now)) {
            return Optional.of(reading.capacity());
        }
        try {
            Optional<HostCapacity> fresh = agents.forNode(node).isPresent()
                    ? Optional.of(agents.forNode(node).get().host()) : Optional.empty();
            fresh.ifPresent(c -> readings.put(node, new Reading(c, now)));
            return fresh;
        } catch (AgentCallException e) {
            readings.remove(node);
            return Optional.empty();
        }
    }
}
