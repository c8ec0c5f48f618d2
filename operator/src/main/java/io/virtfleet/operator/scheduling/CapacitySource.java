package io.virtfleet.operator.scheduling;

import io.virtfleet.agent.contract.HostCapacity;

import java.util.Optional;

/** Where the scheduler learns what a node offers. */
@FunctionalInterface
public interface CapacitySource {
    /** The node's capacity, or empty when its agent cannot tell (unknown node, unreachable, error). */
    Optional<HostCapacity> of(String node);
}
