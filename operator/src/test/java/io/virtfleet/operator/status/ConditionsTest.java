package io.virtfleet.operator.status;

import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Conditions conditions = new Conditions(clock);

    @Test
    void keepsTransitionTimeWhileStatusStaysAndMovesItOnFlip() {
        RootVolumeStatus status = new RootVolumeStatus();
        conditions.set(status, 1, ConditionType.Ready, false, "Downloading", "10 of 100 MiB");
        clock.now = Instant.parse("2026-01-01T00:00:10Z");
        conditions.set(status, 1, ConditionType.Ready, false, "Populating", "50 of 100 MiB");

        assertThat(Conditions.find(status, ConditionType.Ready)).get().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(c.getReason()).isEqualTo("Populating");
        });

        clock.now = Instant.parse("2026-01-01T00:00:20Z");
        conditions.set(status, 2, ConditionType.Ready, true, "VolumeReady", "done");
        assertThat(Conditions.find(status, ConditionType.Ready)).get().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:20Z");
            assertThat(c.getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(status.getObservedGeneration()).isEqualTo(2L);
        assertThat(status.getConditions()).hasSize(1);
    }

    @Test
    void keepsConditionTypesANewerVersionWroteAndSortsThemLast() {
        RootVolumeStatus status = new RootVolumeStatus();
        status.getConditions().add(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("FutureType")
                .withStatus("True").withReason("Newer").withMessage("").build());

        conditions.set(status, 1, ConditionType.Ready, true, "VolumeReady", null);

        assertThat(status.getConditions()).extracting(c -> c.getType()).containsExactly("Ready", "FutureType");
        assertThat(Conditions.find(status, ConditionType.Ready)).get()
                .satisfies(c -> assertThat(c.getMessage()).as("metav1.Condition requires a message").isEmpty());
    }

    @Test
    void ordersConditionsByTheirVocabulary() {
        RootVolumeStatus status = new RootVolumeStatus();
        conditions.set(status, 1, ConditionType.Ready, false, "r", "m");
        conditions.set(status, 1, ConditionType.Scheduled, true, "r", "m");
        conditions.set(status, 1, ConditionType.Populated, false, "r", "m");

        assertThat(status.getConditions()).extracting(c -> c.getType())
                .containsExactly("Scheduled", "Populated", "Ready");
        assertThat(Conditions.isTrue(status, ConditionType.Scheduled)).isTrue();
        assertThat(Conditions.isTrue(status, ConditionType.Ready)).isFalse();
    }

    @Test
    void unknownTurnsThePresentConditionsUnknownAndLeavesAbsentOnesAbsent() {
        RootVolumeStatus status = new RootVolumeStatus();
        conditions.set(status, 1, ConditionType.Scheduled, true, "Placed", "node hv-01");
        conditions.set(status, 1, ConditionType.Populated, true, "Populated", "the volume holds the image");
        clock.now = Instant.parse("2026-01-01T00:01:00Z");

        conditions.unknown(status, 1, ConditionType.OBSERVED_ON_NODE, "NodeUnreachable", "hv-01 does not answer");

        assertThat(Conditions.find(status, ConditionType.Populated)).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("NodeUnreachable");
            assertThat(c.getLastTransitionTime()).as("a status change is a transition")
                    .isEqualTo("2026-01-01T00:01:00Z");
        });
        assertThat(Conditions.find(status, ConditionType.Scheduled)).get()
                .satisfies(c -> assertThat(c.getStatus()).as("the binding is known").isEqualTo("True"));
        assertThat(Conditions.find(status, ConditionType.ImageCached)).isEmpty();
        assertThat(Conditions.isTrue(status, ConditionType.Populated)).isFalse();
    }
}
