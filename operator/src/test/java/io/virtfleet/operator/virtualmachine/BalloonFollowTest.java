package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.operator.status.MutableClock;
import io.virtfleet.operator.status.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A moving balloon is looked at again soon, for a bounded time; a settled one waits for the settled recheck. */
class BalloonFollowTest {
    private static final long MIB = 1L << 20;
    private static final Duration SETTLED = Duration.ofMinutes(30);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BalloonFollow follow = new BalloonFollow(clock);

    private static DomainStatus running(long actualMib) {
        return new DomainStatus("default.web01", "u", DomainPhase.Running, false, null, null, List.of(),
                new DomainStatus.LiveHardware(1, 2, actualMib * MIB, 1024 * MIB));
    }

    private Duration next(long requestedMib, long actualMib) {
        return follow.sooner("uid", requestedMib * MIB, running(actualMib),
                Outcome.ready(VirtualMachinePhase.Running, "DomainRunning", "running", SETTLED)).retryAfter();
    }

    @Test
    void aBalloonShortOfItsTargetIsFollowedUntilItArrives() {
        assertThat(next(512, 1024)).isEqualTo(BalloonFollow.INTERVAL);
        clock.advance(Duration.ofSeconds(30));
        assertThat(next(512, 700)).isEqualTo(BalloonFollow.INTERVAL);
        assertThat(next(512, 512)).as("arrived").isEqualTo(SETTLED);
    }

    /** A guest without a balloon driver never arrives: following it forever would poll its agent forever. */
    @Test
    void aBalloonThatNeverArrivesIsFollowedForABoundedTimeAndANewTargetStartsAgain() {
        assertThat(next(512, 1024)).isEqualTo(BalloonFollow.INTERVAL);
        clock.advance(BalloonFollow.FOLLOW_FOR.plusSeconds(1));
        assertThat(next(512, 1024)).isEqualTo(SETTLED);
        assertThat(next(768, 1024)).as("a new target").isEqualTo(BalloonFollow.INTERVAL);
    }

    @Test
    void aStoppedDomainOrOneWaitingForARestartIsNotFollowed() {
        Outcome<VirtualMachinePhase> settled = Outcome.ready(VirtualMachinePhase.Running, "r", "m", SETTLED);
        assertThat(follow.sooner("uid", 512 * MIB, new DomainStatus("d", "u", DomainPhase.Stopped), settled)
                .retryAfter()).isEqualTo(SETTLED);
        DomainStatus restart = new DomainStatus("d", "u", DomainPhase.Running, true, null, null, List.of(),
                new DomainStatus.LiveHardware(1, 1, 1024 * MIB, 1024 * MIB));
        assertThat(follow.sooner("uid", 512 * MIB, restart, settled).retryAfter()).isEqualTo(SETTLED);
    }
}
