package io.virtfleet.operator.health;

import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code NodeUnreachable} condition of an object bound to a node: True while the node's agent fails its health
 * probes past the threshold, flipped to False once it answers again (so the record of the outage stays visible).
 */
public final class NodeReachability {
    private final Conditions conditions;
    private final AgentHealth health;
    private final Duration probeInterval;

    public NodeReachability(Conditions conditions, AgentHealth health, Duration probeInterval) {
        this.conditions = conditions;
        this.health = health;
        this.probeInterval = probeInterval;
    }

    /** @return the outcome when the node is unreachable: the caller must not call its agent now */
    public <P extends Enum<P>> Optional<Outcome<P>> check(ConditionedStatus status, long generation, String node) {
        if (node != null && health.isUnreachable(node)) {
            conditions.set(status, generation, ConditionType.NodeUnreachable, true, Reason.NODE_UNREACHABLE,
                    "the host agent of node " + node + " has not answered since " + health.failingSince(node));
            return Optional.of(Outcome.notReadyKeepingPhase(Reason.NODE_UNREACHABLE, "node " + node
                    + " is unreachable; the object stays bound to it (volumes are local)", probeInterval));
        }
        if (Conditions.find(status, ConditionType.NodeUnreachable).isPresent()) {
            conditions.set(status, generation, ConditionType.NodeUnreachable, false, Reason.NODE_REACHABLE,
                    "the host agent of node " + node + " answers");
        }
        return Optional.empty();
    }

    /** An agent call that found the node unreachable: the phase stays, the probe decides when to look again. */
    public <P extends Enum<P>> Outcome<P> callFailed(String message) {
        return Outcome.notReadyKeepingPhase(Reason.NODE_UNREACHABLE, message, probeInterval);
    }
}
