package io.virtfleet.operator.status;

import java.time.Duration;

/**
 * What a reconcile concluded, as the one step that decided it says: the phase (null keeps the current one), whether
 * the object is Ready, the Ready condition's reason and message, and when to look again. {@link OutcomeWriter} is the
 * one place that puts it into a status.
 */
public record Outcome<P extends Enum<P>>(P phase, boolean ready, String reason, String message, Duration retryAfter) {

    public static <P extends Enum<P>> Outcome<P> ready(P phase, String reason, String message, Duration retryAfter) {
        return new Outcome<>(phase, true, reason, message, retryAfter);
    }

    public static <P extends Enum<P>> Outcome<P> notReady(P phase, String reason, String message,
                                                          Duration retryAfter) {
        return new Outcome<>(phase, false, reason, message, retryAfter);
    }

    /** Not Ready, the phase as it is (e.g. a node that stopped answering does not change what the object is). */
    public static <P extends Enum<P>> Outcome<P> notReadyKeepingPhase(String reason, String message,
                                                                      Duration retryAfter) {
        return new Outcome<>(null, false, reason, message, retryAfter);
    }
}
