package io.virtfleet.operator.scheduling;

import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.status.Reason;

import java.util.List;
import java.util.Optional;

/**
 * Picks the node for an object that is not bound yet. A binding, once recorded in status, is kept: volumes are
 * local to their node, so moving silently would lose data.
 */
public final class NodeScheduler {
    private final AgentDirectory agents;

    public NodeScheduler(AgentDirectory agents) {
        this.agents = agents;
    }

    /**
     * @param boundNode  the node already recorded in status, or null
     * @param pinnedNode the node the spec asks for, or null
     */
    public Placement place(String boundNode, String pinnedNode) {
        if (boundNode != null) {
            if (pinnedNode != null && !pinnedNode.equals(boundNode)) {
                return Placement.refused(Reason.NODE_MISMATCH, "spec.nodeName is " + pinnedNode
                        + " but the object is bound to node " + boundNode + "; a bound object never moves");
            }
            return Placement.bound(boundNode, Reason.NODE_PINNED, "bound to node " + boundNode);
        }
        if (pinnedNode != null) {
            return agents.forNode(pinnedNode).isPresent()
                    ? Placement.bound(pinnedNode, Reason.NODE_PINNED, "spec.nodeName pins node " + pinnedNode)
                    : Placement.refused(Reason.NO_NODE_AVAILABLE, "spec.nodeName is " + pinnedNode
                    + " but no host agent is known for that node");
        }
        List<String> nodes = agents.nodeNames();
        if (nodes.size() == 1) {
            return Placement.bound(nodes.get(0), Reason.ONLY_NODE, "the only node with an agent is " + nodes.get(0));
        }
        return Placement.refused(Reason.NO_NODE_AVAILABLE, nodes.isEmpty()
                ? "no host agent is registered"
                : "set spec.nodeName: choosing among several nodes (" + String.join(", ", nodes)
                + ") is not implemented yet");
    }

    /** Where an object goes, or why it cannot go anywhere. */
    public record Placement(Optional<String> nodeName, String reason, String message) {
        static Placement bound(String node, String reason, String message) {
            return new Placement(Optional.of(node), reason, message);
        }

        static Placement refused(String reason, String message) {
            return new Placement(Optional.empty(), reason, message);
        }
    }
}
