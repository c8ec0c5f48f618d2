package io.virtfleet.operator.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Paces retries of failed agent work. The agent retries a failed volume on the next PUT, and the operator reconciles
 * often; without a gate every reconcile would restart a download that fails the same way. Memory only: after an
 * operator restart the first reconcile retries once, which is what a restart should do anyway.
 */
public final class RetryGate {
    private final Clock clock;
    private final Duration interval;
    private final ConcurrentMap<String, Instant> lastAttempt = new ConcurrentHashMap<>();

    public RetryGate(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /** True, and the attempt recorded, when the last attempt for {@code key} is older than the interval. */
    public boolean tryAttempt(String key) {
        Instant now = clock.instant();
        Instant previous = lastAttempt.get(key);
        if (previous != null && previous.plus(interval).isAfter(now)) {
            return false;
        }
        lastAttempt.put(key, now);
        return true;
    }

    /** Records an attempt made for another reason (a first PUT), so a failure right after it is not retried at once. */
    public void attempted(String key) {
        lastAttempt.put(key, clock.instant());
    }

    public void forget(String key) {
        lastAttempt.remove(key);
    }
}
