package io.virtfleet.operator.status;

import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.health.AgentHealth;

/**
 * The {@code NodeUnreachable} condition of an object bound to a node: True while the node's agent fails its health
 * probes past the threshold, flipped to False once it answers again (so the record of the outage stays visible).
 */
public final class NodeReachability {
    private NodeReachability() {
    }

    /** @return true when the node is unreachable and the caller should not call its agent now */
    public static boolean mark(Conditions conditions, AgentHealth health, ConditionedStatus status, long generation,
                               String node) {
        if (node != null && health.isUnreachable(node)) {
            conditions.set(status, generation, ConditionType.NodeUnreachable, true, Reason.NODE_UNREACHABLE,
                    "the host agent of node " + node + " has not answered since " + health.failingSince(node));
            conditions.set(status, generation, ConditionType.Ready, false, Reason.NODE_UNREACHABLE,
                    "node " + node + " is unreachable; the object stays bound to it (volumes are local)");
            return true;
        }
        if (Conditions.find(status, ConditionType.NodeUnreachable).isPresent()) {
            conditions.set(status, generation, ConditionType.NodeUnreachable, false, Reason.NODE_REACHABLE,
                    "the host agent of node " + node + " answers");
        }
        return false;
    }
}
