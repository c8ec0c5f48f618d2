package io.virtfleet.operator.rootvolume;

import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.OutcomeWriter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeStatusMirrorTest {
    private final Conditions conditions = new Conditions(Clock.systemUTC());
    private final VolumeStatusMirror mirror = new VolumeStatusMirror(conditions, Duration.ofMinutes(30));
    private final OutcomeWriter<RootVolumeStatus, RootVolumePhase> writer = new OutcomeWriter<>(conditions,
            RootVolumeStatus::getPhase, RootVolumeStatus::setPhase, RootVolumePhase.Pending);

    private static VolumeStatus ready(Boolean verified) {
        return new VolumeStatus("default.web01-root", VolumePhase.Ready, "/pool/default.web01-root", "ab".repeat(32),
                1L << 30, 1L << 30, "1", null, verified);
    }

    @Test
    void anImageCachedWithoutAnyChecksumIsReportedUnverified() {
        RootVolumeStatus status = new RootVolumeStatus();
        writer.write(status, 3, mirror.mirror(status, 3, ready(false)));

        assertThat(status.getPhase()).isEqualTo(RootVolumePhase.Ready);
        assertThat(status.getImageVerified()).isFalse();
        assertThat(Conditions.find(status, ConditionType.ImageCached)).get()
                .satisfies(c -> assertThat(c.getMessage()).contains("URL + ETag"));
    }

    @Test
    void aVerifiedImageSaysSoAndAnUnknownAnswerKeepsTheLastKnownValue() {
        RootVolumeStatus status = new RootVolumeStatus();
        mirror.mirror(status, 1, ready(true));
        assertThat(status.getImageVerified()).isTrue();

        mirror.mirror(status, 1, ready(null));
        assertThat(status.getImageVerified()).isTrue();
        assertThat(Conditions.find(status, ConditionType.ImageCached)).get()
                .satisfies(c -> assertThat(c.getMessage()).doesNotContain("ETag"));
    }
}
