package io.virtfleet.operator.status;

/**
 * A condition's status as metav1.Condition spells it. {@link #Unknown} when the operator cannot know (the node's
 * agent does not answer), rather than leaving a stale True or False.
 */
public enum ConditionStatus {
    True, False, Unknown;

    public static ConditionStatus of(boolean isTrue) {
        return isTrue ? True : False;
    }
}
