package io.virtfleet.operator.status;

import io.virtfleet.crds.v1alpha1.ConditionedStatus;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Writes an {@link Outcome} into a status: the phase and the Ready condition, together with observedGeneration
 * (through {@link Conditions}). The one place both reconcilers put their conclusion, like Strimzi's
 * StatusUtils.setStatusConditionAndObservedGeneration.
 */
public final class OutcomeWriter<S extends ConditionedStatus, P extends Enum<P>> {
    private final Conditions conditions;
    private final Function<S, P> phase;
    private final BiConsumer<S, P> setPhase;
    private final P initialPhase;

    /** @param initialPhase the phase an object gets when an outcome keeps a phase it never had */
    public OutcomeWriter(Conditions conditions, Function<S, P> phase, BiConsumer<S, P> setPhase, P initialPhase) {
        this.conditions = conditions;
        this.phase = phase;
        this.setPhase = setPhase;
        this.initialPhase = initialPhase;
    }

    /** @return when to reconcile again */
    public Duration write(S status, long generation, Outcome<P> outcome) {
        P next = outcome.phase() != null ? outcome.phase() : phase.apply(status);
        setPhase.accept(status, next == null ? initialPhase : next);
        conditions.set(status, generation, ConditionType.Ready, outcome.ready(), outcome.reason(), outcome.message());
        return outcome.retryAfter();
    }
}
