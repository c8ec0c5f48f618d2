package io.virtfleet.operator.scheduling;

import java.util.Map;
import java.util.Set;

/** What the cluster's bound objects already promise, per node. */
public interface Commitments {
    /**
     * @param excluding keys of objects whose share is counted elsewhere (the scheduler's own reservations)
     */
    Map<String, Committed> byNode(Set<String> excluding);

    /** Runs {@code listener} whenever a placed VirtualMachine is gone; commitments that never change need not. */
    default void onMachineGone(Runnable listener) {
    }
}
