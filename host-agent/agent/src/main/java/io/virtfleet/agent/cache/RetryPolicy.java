package io.virtfleet.agent.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a stream of a download retries after a transient failure (connection reset or refused, timeout, premature end
 * of the body, HTTP 408/429/5xx): up to {@code attempts} consecutive failures without progress, waiting an
 * exponentially growing, jittered backoff between them. A retry that made progress starts the count again.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(15));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
    }

    /** The wait before retry number {@code failure} (1 = after the first failure): initial × 2^(n-1), ±20 %. */
    public Duration backoff(int failure) {
        long base = initialBackoff.toMillis() << Math.min(failure - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }
}
