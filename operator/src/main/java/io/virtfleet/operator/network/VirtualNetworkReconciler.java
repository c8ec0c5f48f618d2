package io.virtfleet.operator.network;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.crds.v1alpha1.VirtualNetwork;
import io.virtfleet.crds.v1alpha1.VirtualNetworkStatus;
import io.virtfleet.crds.v1alpha1.VirtualNetworkStatus.NodeNetwork;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.scheduling.NodeLabels;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.StatusReplace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Realises a VirtualNetwork on the nodes its selector picks: steps are select the nodes, state the network to each
 * node's agent ({@code PUT /api/v1/networks/{name}}), remove it from nodes no longer selected, and write one status
 * entry per node (active, or the agent's or the operator's reason). Ready when every selected node runs it. The
 * finalizer removes it from every node with an agent before the object goes.
 */
@ControllerConfiguration(name = "virtualnetwork")
public final class VirtualNetworkReconciler implements Reconciler<VirtualNetwork>, Cleaner<VirtualNetwork> {
    static final Duration RECHECK_WHILE_NOT_READY = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(VirtualNetworkReconciler.class);

    private final AgentDirectory agents;
    private final NodeLabels labels;
    private final Conditions conditions;
    private final Duration settled;

    public VirtualNetworkReconciler(AgentDirectory agents, NodeLabels labels, Conditions conditions,
                                    Duration settled) {
        this.agents = agents;
        this.labels = labels;
        this.conditions = conditions;
        this.settled = settled;
    }

    @Override
    public UpdateControl<VirtualNetwork> reconcile(VirtualNetwork network, Context<VirtualNetwork> context) {
        String name = network.getMetadata().getName();
        long generation = Optional.ofNullable(network.getMetadata().getGeneration()).orElse(0L);
        List<String> selected = selectedNodes(network.getSpec().getNodeSelector());
        NetworkRequest request = NetworkRequestMapper.map(network.getSpec());
        List<NodeNetwork> nodes = new ArrayList<>();
        for (String node : selected) {
            nodes.add(realise(node, name, request));
        }
        removeFromUnselected(network, selected);
        VirtualNetworkStatus status = new VirtualNetworkStatus();
        if (network.getStatus() != null) {
            status.setConditions(network.getStatus().getConditions());
        }
        status.setNodes(nodes);
        status.setObservedGeneration(generation);
        List<String> failing = nodes.stream().filter(n -> !Boolean.TRUE.equals(n.getActive()))
                .map(n -> n.getNodeName() + ": " + n.getReason()).toList();
        boolean ready = !selected.isEmpty() && failing.isEmpty();
        conditions.set(status, generation, ConditionType.Ready, ready,
                ready ? "NetworkActive" : selected.isEmpty() ? "NoNodeSelected" : "NotActiveEverywhere",
                ready ? "active on " + selected.size() + " node(s): " + String.join(", ", selected)
                        : selected.isEmpty() ? "no node with an agent matches spec.nodeSelector"
                        : "not active on " + String.join("; ", failing));
        if (!Objects.equals(describe(network.getStatus()), describe(status))) {
            network.setStatus(status);
            StatusReplace.write(context, network);
            LOG.info("virtualnetwork={} ready={} nodes={}", name, ready, selected);
        }
        return UpdateControl.<VirtualNetwork>noUpdate().rescheduleAfter(ready ? settled : RECHECK_WHILE_NOT_READY);
    }

    /** Removes the network from every node with an agent; the finalizer stays while one cannot be reached. */
    @Override
    public DeleteControl cleanup(VirtualNetwork network, Context<VirtualNetwork> context) {
        String name = network.getMetadata().getName();
        List<String> left = new ArrayList<>();
        for (String node : agents.nodeNames()) {
            try {
                Optional<AgentClient> agent = agents.forNode(node);
                if (agent.isPresent()) {
                    agent.get().deleteNetwork(name);
                }
            } catch (AgentCallException e) {
                left.add(node + " (" + e.getMessage() + ")");
            }
        }
        if (left.isEmpty()) {
            LOG.info("virtualnetwork={} removed from every node", name);
            return DeleteControl.defaultDelete();
        }
        LOG.warn("virtualnetwork={} still on {}", name, left);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK_WHILE_NOT_READY);
    }

    private List<String> selectedNodes(Map<String, String> selector) {
        return agents.nodeNames().stream()
                .filter(node -> selector == null || labels.of(node).entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    private NodeNetwork realise(String node, String name, NetworkRequest request) {
        Optional<AgentClient> agent = agents.forNode(node);
        if (agent.isEmpty()) {
            return new NodeNetwork(node, false, "AgentUnreachable", "no agent is known for the node");
        }
        try {
            var observed = agent.get().putNetwork(name, request);
            return new NodeNetwork(node, observed.active(), observed.active() ? null : "NotActive",
                    observed.active() ? null : "libvirt reports the network inactive");
        } catch (AgentCallException e) {
            String reason = e.error() != null ? e.error().reason() : e.unreachable() ? "AgentUnreachable" : "AgentError";
            String message = String.valueOf(e.getMessage());
            return new NodeNetwork(node, false, reason, message.length() > 1000 ? message.substring(0, 1000) : message);
        }
    }

    /** Nodes that ran it (per the last status) and are no longer selected: the agent removes it there. */
    private void removeFromUnselected(VirtualNetwork network, List<String> selected) {
        if (network.getStatus() == null || network.getStatus().getNodes() == null) {
            return;
        }
        for (NodeNetwork previous : network.getStatus().getNodes()) {
            if (!selected.contains(previous.getNodeName())) {
                agents.forNode(previous.getNodeName()).ifPresent(agent -> {
                    try {
                        agent.deleteNetwork(network.getMetadata().getName());
                    } catch (AgentCallException e) {
                        LOG.warn("virtualnetwork={} node={} removal failed: {}", network.getMetadata().getName(),
                                previous.getNodeName(), e.getMessage());
                    }
                });
            }
        }
    }

    /** What a status says, without timestamps: writes only when it changed. */
    private static String describe(VirtualNetworkStatus status) {
        if (status == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(String.valueOf(status.getObservedGeneration()));
        for (NodeNetwork node : status.getNodes() == null ? List.<NodeNetwork>of() : status.getNodes()) {
            text.append('|').append(node.getNodeName()).append(node.getActive()).append(node.getReason());
        }
        status.getConditions().forEach(c -> text.append('|').append(c.getType()).append(c.getStatus())
                .append(c.getReason()).append(c.getMessage()));
        return text.toString();
    }
}
