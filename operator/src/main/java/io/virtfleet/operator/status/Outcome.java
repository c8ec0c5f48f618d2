package io.virtfleet.operator.status;

import java.time.Duration;

/**
 * What a reconcile concluded, as the one step that decided it says: the phase (null keeps the current one), whether
 * the object is Ready, the Ready condition's reason and message, and when to look again. {@link OutcomeWriter} is the
 * one place that puts it into a status.
 */
public record Outcome<P extends Enum<P>>(P phase, ConditionStatus ready, String reason, String message,
                                          Duration retryAfter) {

    public static <P extends Enum<P>> Outcome<P> ready(P phase, String reason, String message, Duration retryAfter) {
        return new Outcome<>(phase, ConditionStatus.True, reason, message, retryAfter);
    }

    public static <P extends Enum<P>> Outcome<P> notReady(P phase, String reason, String message,
                                                          Duration retryAfter) {
        return new Outcome<>(phase, ConditionStatus.False, reason, message, retryAfter);
    }

    /**
     * Ready=Unknown, the phase as it was: the operator cannot tell (the node's agent does not answer), so it claims
     * neither that the object is Ready nor that it is not.
     */
    public static <P extends Enum<P>> Outcome<P> unknown(String reason, String message, Duration retryAfter) {
        return new Outcome<>(null, ConditionStatus.Unknown, reason, message, retryAfter);
    }

    /** Not Ready, the phase as it is (e.g. a node that stopped answering does not change what the object is). */
    public static <P extends Enum<P>> Outcome<P> notReadyKeepingPhase(String reason, String message,
                                                                      Duration retryAfter) {
        return new Outcome<>(null, ConditionStatus.False, reason, message, retryAfter);
    }

    /** The same conclusion in other words. */
    public Outcome<P> withMessage(String words) {
        return new Outcome<>(phase, ready, reason, words, retryAfter);
    }

    /** The same conclusion, looked at again after {@code delay}. */
    public Outcome<P> retryingAfter(Duration delay) {
        return new Outcome<>(phase, ready, reason, message, delay);
    }
}
