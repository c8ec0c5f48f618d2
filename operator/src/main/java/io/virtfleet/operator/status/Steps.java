package io.virtfleet.operator.status;

import io.virtfleet.operator.agent.AgentCallException;

import java.util.Optional;

/**
 * A reconcile as a list of named steps (Strimzi's KafkaReconciler): each step either lets the next one run (empty)
 * or ends this reconcile with its {@link Outcome}. The last step always concludes.
 */
public final class Steps {
    private Steps() {
    }

    /** One step; may call an agent. */
    @FunctionalInterface
    public interface Step<P extends Enum<P>> {
        Optional<Outcome<P>> run() throws AgentCallException;
    }

    @SafeVarargs
    public static <P extends Enum<P>> Outcome<P> run(Step<P>... steps) throws AgentCallException {
        for (Step<P> step : steps) {
            Optional<Outcome<P>> outcome = step.run();
            if (outcome.isPresent()) {
                return outcome.get();
            }
        }
        throw new IllegalStateException("the last step of a reconcile must conclude it");
    }
}
