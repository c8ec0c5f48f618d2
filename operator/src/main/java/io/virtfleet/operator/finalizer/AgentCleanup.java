package io.virtfleet.operator.finalizer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Removes an object's counterpart on its node before the finalizer goes. The finalizer stays until the agent
 * confirms, so nothing is left behind on a host; an unknown node needs a person to remove the finalizer.
 */
public final class AgentCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCleanup.class);

    /** The agent call that removes the counterpart: deleteVolume or deleteDomain, for the object's UID. */
    @FunctionalInterface
    public interface Removal {
        void remove(AgentClient agent, String agentName, String ownerUid) throws AgentCallException;
    }

    private final AgentDirectory agents;
    private final EventRecorder events;
    private final Duration retryAfter;

    public AgentCleanup(AgentDirectory agents, EventRecorder events, Duration retryAfter) {
        this.agents = agents;
        this.events = events;
        this.retryAfter = retryAfter;
    }

    /** deletionPolicy Retain: the finalizer goes, the agent's counterpart stays on its node. */
    public DeleteControl retain(HasMetadata object, String node) {
        events.normal(object, Reason.RETAINED, "deletionPolicy Retain: volume " + AgentNames.of(object)
                + " stays on node " + (node == null ? "(none)" : node));
        return DeleteControl.defaultDelete();
    }

    /**
     * @param node the node the object is bound to; null when it never was, so there is nothing to remove
     * @param what what is removed, for messages ("the volume", "the domain")
     */
    public DeleteControl remove(HasMetadata object, String node, String what, Removal removal) {
        if (node == null) {
            return DeleteControl.defaultDelete();
        }
        Optional<AgentClient> agent = agents.forNode(node);
        if (agent.isEmpty()) {
            events.warning(object, Reason.NODE_UNREACHABLE, "cannot remove " + what + ": no host agent is known for node "
                    + node + "; remove the finalizer by hand if the node is gone for good");
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(retryAfter.toMillis());
        }
        try {
            removal.remove(agent.get(), AgentNames.of(object), object.getMetadata().getUid());
            LOG.info("removed {} node={}", what, node);
            return DeleteControl.defaultDelete();
        } catch (AgentCallException e) {
            if (!e.unreachable() && AgentErrorReasons.OWNED_BY_ANOTHER.equals(e.error().reason())) {
                // Not ours: what the node holds under this name belongs to another object and stays.
                events.warning(object, e.error().reason(), "left " + what + " on node " + node + " alone: "
                        + e.error().message());
                return DeleteControl.defaultDelete();
            }
            String reason = e.unreachable() ? Reason.NODE_UNREACHABLE : e.error().reason();
            events.warning(object, reason, "cannot remove " + what + " yet: " + e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(retryAfter.toMillis());
        }
    }
}
