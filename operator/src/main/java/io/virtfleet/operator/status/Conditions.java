package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that writes conditions: keeps lastTransitionTime when a condition's status does not change, and
 * stamps every condition and the status with the generation it describes. Conditions follow metav1.Condition, whose
 * schema (and so the API server) requires a reason and a message on each. Condition types this version does not
 * know (written by a newer operator before a rollback) are kept and sorted last, never a failure.
 */
public final class Conditions {
    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = clock;
    }

    public void set(ConditionedStatus status, long generation, ConditionType type, boolean isTrue, String reason,
                    String message) {
        set(status, generation, type, ConditionStatus.of(isTrue), reason, message);
    }

    public void set(ConditionedStatus status, long generation, ConditionType type, ConditionStatus value,
                    String reason, String message) {
        String statusValue = value.name();
        Optional<Condition> existing = find(status, type);
        String transitionTime = existing
                .filter(condition -> statusValue.equals(condition.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        Condition condition = new ConditionBuilder()
                .withType(type.name())
                .withStatus(statusValue)
                .withReason(Objects.requireNonNull(reason, "a condition needs a reason"))
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transitionTime)
                .build();
        status.getConditions().removeIf(c -> type.name().equals(c.getType()));
        status.getConditions().add(condition);
        status.getConditions().sort(Comparator.comparingInt(Conditions::order));
        status.setObservedGeneration(generation);
    }

    /** Known types in their declared order, unknown ones after them. */
    private static int order(Condition condition) {
        return Arrays.stream(ConditionType.values()).filter(t -> t.name().equals(condition.getType()))
                .mapToInt(ConditionType::ordinal).findFirst().orElse(ConditionType.values().length);
    }

    /**
     * Every present condition among {@code types} becomes Unknown with this reason and message: what the node last
     * reported is no longer known to hold. Absent conditions stay absent (there was nothing to be stale).
     */
    public void unknown(ConditionedStatus status, long generation, Set<ConditionType> types, String reason,
                        String message) {
        for (ConditionType type : types) {
            if (find(status, type).isPresent()) {
                set(status, generation, type, ConditionStatus.Unknown, reason, message);
            }
        }
    }

    public void remove(ConditionedStatus status, ConditionType type) {
        status.getConditions().removeIf(c -> type.name().equals(c.getType()));
    }

    public static Optional<Condition> find(ConditionedStatus status, ConditionType type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.name().equals(c.getType())).findFirst();
    }

    public static boolean hasReason(ConditionedStatus status, ConditionType type, String reason) {
        return find(status, type).map(c -> reason.equals(c.getReason())).orElse(false);
    }

    public static boolean isTrue(ConditionedStatus status, ConditionType type) {
        return find(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
