package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;

import java.util.Objects;
import java.util.Optional;

/**
 * What a reconcile changed in a status: remembers the status as it was, tells whether a write is needed, and turns
 * a change of phase or Ready reason into one Kubernetes Event.
 */
public final class StatusChange {
    private final String before;
    private final String phaseBefore;
    private final String readyReasonBefore;

    private StatusChange(String before, String phaseBefore, String readyReasonBefore) {
        this.before = before;
        this.phaseBefore = phaseBefore;
        this.readyReasonBefore = readyReasonBefore;
    }

    public static StatusChange from(ConditionedStatus status, Object phase) {
        return new StatusChange(Serialization.asJson(status), Objects.toString(phase, null), readyReason(status));
    }

    public boolean changed(ConditionedStatus status) {
        return !before.equals(Serialization.asJson(status));
    }

    /** Records an Event when the phase or the Ready condition's reason moved; Warning when {@code failed}. */
    public void announce(EventRecorder events, HasMetadata object, ConditionedStatus status, Object phase,
                         boolean failed) {
        String readyReason = readyReason(status);
        if (Objects.equals(phaseBefore, Objects.toString(phase, null)) && Objects.equals(readyReasonBefore, readyReason)) {
            return;
        }
        String message = Conditions.find(status, ConditionType.Ready).map(Condition::getMessage).orElse("");
        String reason = readyReason == null ? String.valueOf(phase) : readyReason;
        if (failed) {
            events.warning(object, reason, message);
        } else {
            events.normal(object, reason, message);
        }
    }

    private static String readyReason(ConditionedStatus status) {
        return Optional.ofNullable(status)
                .flatMap(s -> Conditions.find(s, ConditionType.Ready))
                .map(Condition::getReason)
                .orElse(null);
    }
}
