package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.operator.status.Outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A balloon moves at the guest's pace, after the request that set its target has been answered. So that
 * {@code status.hardware.memory} shows where it arrives without waiting for the settled recheck (minutes), a VM whose
 * balloon is short of the requested memory is looked at again every few seconds — for a bounded time per target: a
 * guest without a balloon driver never arrives, and then the settled recheck takes over. No status write results
 * unless the value moved.
 */
final class BalloonFollow {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration FOLLOW_FOR = Duration.ofMinutes(2);

    private record Target(long bytes, Instant until) {
    }

    private final Map<String, Target> following = new ConcurrentHashMap<>();
    private final Clock clock;

    BalloonFollow(Clock clock) {
        this.clock = clock;
    }

    /** The outcome, to be looked at again within {@link #INTERVAL} while the balloon is on its way to a new target. */
    <P extends Enum<P>> Outcome<P> sooner(String uid, long requestedBytes, DomainStatus observed, Outcome<P> outcome) {
        DomainStatus.LiveHardware live = observed.hardware();
        if (live == null || observed.restartRequired() || live.memoryBytes() == requestedBytes) {
            following.remove(uid);
            return outcome;
        }
        Target target = following.compute(uid, (key, old) -> old != null && old.bytes() == requestedBytes ? old
                : new Target(requestedBytes, clock.instant().plus(FOLLOW_FOR)));
        if (clock.instant().isAfter(target.until())
                || (outcome.retryAfter() != null && outcome.retryAfter().compareTo(INTERVAL) <= 0)) {
            return outcome;
        }
        return new Outcome<>(outcome.phase(), outcome.ready(), outcome.reason(), outcome.message(), INTERVAL);
    }

    /** The VM is gone. */
    void forget(String uid) {
        following.remove(uid);
    }
}
