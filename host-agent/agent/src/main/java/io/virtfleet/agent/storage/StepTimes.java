package io.virtfleet.agent.storage;

import java.util.StringJoiner;

/**
 * Where one population's time went, step by step ({@code fetch=3 inspect=41 create=12 convert=702 ...} in
 * milliseconds): logged with the Ready line, so that a slow population shows its slow step. Used by one thread.
 */
final class StepTimes {
    private final StringJoiner steps = new StringJoiner(" ");
    private long last = System.nanoTime();

    /** Ends the step running since the previous mark (or since creation) under {@code name}. */
    void mark(String name) {
        long now = System.nanoTime();
        steps.add(name + "=" + (now - last) / 1_000_000);
        last = now;
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
