package io.virtfleet.operator.health;

import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code NodeUnreachable} condition of an object bound to a node: True while the node's agent fails its health
 * probes past the threshold, flipped to False once it answers again (so the record of the outage stays visible).
 * While the operator cannot reach the node it cannot know what runs there: Ready and every condition the node reports
 * ({@link ConditionType#OBSERVED_ON_NODE}) become Unknown instead of keeping a stale True or False.
 */
public final class NodeReachability {
    private static final Logger LOG = LoggerFactory.getLogger(NodeReachability.class);

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
            String since = "the host agent of node " + node + " has not answered since " + health.failingSince(node);
            conditions.set(status, generation, ConditionType.NodeUnreachable, true, Reason.NODE_UNREACHABLE, since);
            conditions.unknown(status, generation, ConditionType.OBSERVED_ON_NODE, Reason.NODE_UNREACHABLE, since);
            return Optional.of(Outcome.unknown(Reason.NODE_UNREACHABLE, "node " + node
                    + " is unreachable; the object stays bound to it (volumes are local)", probeInterval));
        }
        if (Conditions.find(status, ConditionType.NodeUnreachable).isPresent()) {
            conditions.set(status, generation, ConditionType.NodeUnreachable, false, Reason.NODE_REACHABLE,
                    "the host agent of node " + node + " answers");
        }
        return Optional.empty();
    }

    /**
     * An agent call that found the node unreachable (before the probe's threshold, or no agent known for the node):
     * the phase stays, what the node reported becomes Unknown, the probe decides when to look again.
     */
    public <P extends Enum<P>> Outcome<P> callFailed(ConditionedStatus status, long generation, String node,
                                                     String message) {
        LOG.atWarn().addKeyValue("node", node).addKeyValue("reason", Reason.NODE_UNREACHABLE)
                .log("agent call failed: {}", message);
        conditions.unknown(status, generation, ConditionType.OBSERVED_ON_NODE, Reason.NODE_UNREACHABLE, message);
        return Outcome.unknown(Reason.NODE_UNREACHABLE, message, probeInterval);
    }
}
