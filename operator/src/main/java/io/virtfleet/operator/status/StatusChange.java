package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reconcile changed in a status: remembers the status as it was, tells whether a write is needed, and turns
 * the changes into one Kubernetes Event — when the phase or the Ready reason moved, or any condition changed its
 * status. The Event names every condition transition of that reconcile, so each transition is in an Event without
 * one Event per condition (which would multiply the Events a VM leaves by five).
 */
public final class StatusChange {
    private static final Logger LOG = LoggerFactory.getLogger(StatusChange.class);
    private final String before;
    private final String phaseBefore;
    private final String readyReasonBefore;
    private final Map<String, String> conditionStatusBefore;

    /** The Event a change deserves. */
    public record Announcement(boolean warning, String reason, String message) {
    }

    private StatusChange(String before, String phaseBefore, String readyReasonBefore,
                         Map<String, String> conditionStatusBefore) {
        this.before = before;
        this.phaseBefore = phaseBefore;
        this.readyReasonBefore = readyReasonBefore;
        this.conditionStatusBefore = conditionStatusBefore;
    }

    public static StatusChange from(ConditionedStatus status, Object phase) {
        return new StatusChange(Serialization.asJson(status), Objects.toString(phase, null), readyReason(status),
                conditionStatuses(status));
    }

    public boolean changed(ConditionedStatus status) {
        return !before.equals(Serialization.asJson(status));
    }

    /**
     * Logs this reconcile's changes, if any, and records them as an Event unless {@code events} is null (a step on
     * the way, which the status and the log show); Warning when {@code failed}.
     */
    public void announce(EventRecorder events, HasMetadata object, ConditionedStatus status, Object phase,
                         boolean failed) {
        announcement(status, phase, failed).ifPresent(a -> {
            // A state transition is a decision: one log line (namespace/name come from JOSDK's MDC), one Event.
            (a.warning() ? LOG.atWarn() : LOG.atInfo()).addKeyValue("kind", object.getKind())
                    .addKeyValue("phase", phase).addKeyValue("reason", a.reason())
                    .log("status transition: {}", a.message());
            if (events == null) {
                return;
            }
            if (a.warning()) {
                events.warning(object, a.reason(), a.message());
            } else {
                events.normal(object, a.reason(), a.message());
            }
        });
    }

    public Optional<Announcement> announcement(ConditionedStatus status, Object phase, boolean failed) {
        String readyReason = readyReason(status);
        List<String> transitions = transitions(status);
        if (Objects.equals(phaseBefore, Objects.toString(phase, null)) && Objects.equals(readyReasonBefore, readyReason)
                && transitions.isEmpty()) {
            return Optional.empty();
        }
        String message = Conditions.find(status, ConditionType.Ready).map(Condition::getMessage).orElse("");
        if (!transitions.isEmpty()) {
            message = message + (message.isEmpty() ? "" : " ") + "[" + String.join(", ", transitions) + "]";
        }
        String reason = readyReason == null ? String.valueOf(phase) : readyReason;
        return Optional.of(new Announcement(failed, reason, message));
    }

    /** {@code Type=Status (Reason)} for each condition whose status differs from before (new ones included). */
    private List<String> transitions(ConditionedStatus status) {
        List<String> transitions = new ArrayList<>();
        for (Condition condition : status.getConditions()) {
            if (!Objects.equals(conditionStatusBefore.get(condition.getType()), condition.getStatus())) {
                transitions.add(condition.getType() + "=" + condition.getStatus() + " (" + condition.getReason() + ")");
            }
        }
        return transitions;
    }

    private static Map<String, String> conditionStatuses(ConditionedStatus status) {
        Map<String, String> statuses = new LinkedHashMap<>();
        if (status != null && status.getConditions() != null) {
            status.getConditions().forEach(c -> statuses.put(c.getType(), c.getStatus()));
        }
        return statuses;
    }

    private static String readyReason(ConditionedStatus status) {
        return Optional.ofNullable(status)
                .flatMap(s -> Conditions.find(s, ConditionType.Ready))
                .map(Condition::getReason)
                .orElse(null);
    }
}
