package io.virtfleet.operator.finalizer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Removes an object's counterpart on its node before the finalizer goes. The finalizer stays until the agent
 * confirms, so nothing is left behind on a host. A removal that cannot finish says why ({@link DeletionBlock}); when
 * the node is gone for good an admin releases the finalizer ({@link FinalizerRelease}) and the Event names what stays.
 */
public final class AgentCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCleanup.class);
    /** How soon to ask again while the agent finishes a removal in the background (a guest shutting down). */
    private static final Duration UNDER_WAY_RETRY = Duration.ofSeconds(2);

    /** The agent call that removes the counterpart, for the object's UID: true once nothing of it is left. */
    @FunctionalInterface
    public interface Removal {
        boolean remove(AgentClient agent, String agentName, String ownerUid) throws AgentCallException;
    }

    /**
     * What an object has on its node.
     *
     * @param what       for messages ("the domain", "the volume")
     * @param removal    the agent call that removes it
     * @param leftovers  what stays on the node if the finalizer is released without the agent
     * @param retryAfter how soon to try again after the agent refused
     */
    public record Counterpart(String what, Removal removal, String leftovers, Duration retryAfter) {
    }

    private final AgentDirectory agents;
    private final AgentHealth health;
    private final EventRecorder events;
    private final DeletionBlock block;
    private final FinalizerRelease release;
    private final Duration probeInterval;

    /** @param probeInterval how often a deletion blocked by an unreachable node is looked at again */
    public AgentCleanup(AgentDirectory agents, AgentHealth health, EventRecorder events, DeletionBlock block,
                        FinalizerRelease release, Duration probeInterval) {
        this.agents = agents;
        this.health = health;
        this.events = events;
        this.block = block;
        this.release = release;
        this.probeInterval = probeInterval;
    }

    /** deletionPolicy Retain: the finalizer goes, the agent's counterpart stays on its node. */
    public DeleteControl retain(HasMetadata object, String node) {
        events.normal(object, Reason.RETAINED, "deletionPolicy Retain: volume " + AgentNames.of(object)
                + " stays on node " + (node == null ? "(none)" : node));
        return DeleteControl.defaultDelete();
    }

    /**
     * @param node the node the object is bound to; null when it never was, so there is nothing to remove
     */
    public <S extends ConditionedStatus> DeleteControl remove(CustomResource<?, S> object, String node,
                                                              Counterpart counterpart) {
        if (node == null) {
            return DeleteControl.defaultDelete();
        }
        Optional<Instant> unreachableSince = health.unreachableSince(node);
        if (unreachableSince.isPresent()) {
            return unreachable(object, node, unreachableSince.get(), counterpart);
        }
        release.refuseWhileReachable(object, node);
        AgentClient agent = agents.forNode(node).orElseThrow(); // unreachableSince covers nodes without an agent
        try {
            if (counterpart.removal().remove(agent, AgentNames.of(object), object.getMetadata().getUid())) {
                LOG.info("removed {} node={}", counterpart.what(), node);
                return DeleteControl.defaultDelete();
            }
            events.normal(object, Reason.DOMAIN_SHUTTING_DOWN, "the guest was asked to shut down (ACPI); node " + node
                    + " removes " + counterpart.what() + " once it is off, destroying it after the agent's timeout");
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(UNDER_WAY_RETRY.toMillis());
        } catch (AgentCallException e) {
            if (!e.unreachable() && AgentErrorReasons.OWNED_BY_ANOTHER.equals(e.error().reason())) {
                // Not ours: what the node holds under this name belongs to another object and stays.
                events.warning(object, e.error().reason(), "left " + counterpart.what() + " on node " + node
                        + " alone: " + e.error().message());
                return DeleteControl.defaultDelete();
            }
            if (e.unreachable()) {
                // Before the probe's threshold: the detail goes to the log, the message stays one series.
                LOG.atWarn().addKeyValue("node", node).log("cannot remove {}: {}", counterpart.what(), e.getMessage());
                block.record(object, Reason.NODE_UNREACHABLE, "cannot remove " + counterpart.what() + " from node "
                        + node + ": its host agent does not answer");
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(probeInterval.toMillis());
            }
            block.record(object, e.error().reason(), "cannot remove " + counterpart.what() + " from node " + node
                    + " yet: " + e.error().message());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(counterpart.retryAfter().toMillis());
        }
    }

    /** No agent call (it would only wait for timeouts): the block is recorded, and an admin's release decided. */
    private <S extends ConditionedStatus> DeleteControl unreachable(CustomResource<?, S> object, String node,
                                                                   Instant since, Counterpart counterpart) {
        block.record(object, Reason.NODE_UNREACHABLE, "cannot remove " + counterpart.what() + " from node " + node
                + ": its host agent has not answered since " + since + "; if the node is gone for good, annotate "
                + FinalizerRelease.ANNOTATION + "=" + node + " to release the finalizer after the grace period ("
                + counterpart.leftovers() + " then stay on the node)");
        return release.decide(object, node, since, counterpart.leftovers(), probeInterval)
                .orElseGet(() -> DeleteControl.noFinalizerRemoval().rescheduleAfter(probeInterval.toMillis()));
    }
}
