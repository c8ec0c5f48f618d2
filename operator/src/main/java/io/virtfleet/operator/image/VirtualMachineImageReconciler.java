package io.virtfleet.operator.image;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.crds.v1alpha1.ImagePrefetch;
import io.virtfleet.crds.v1alpha1.VirtualMachineImage;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageStatus;
import io.virtfleet.crds.v1alpha1.VirtualMachineImageStatus.NodeImage;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.scheduling.NodeLabels;
import io.virtfleet.operator.secrets.SecretValues;
import io.virtfleet.operator.secrets.SecretValues.MissingSecret;
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
 * Keeps a catalogue image's listing and prefetch: steps are read the credentials, ask each node's agent what it caches
 * (prefetching and pinning where {@code spec.prefetch} selects the node, unpinning where it no longer does), and write
 * one status entry per node that caches the image or is selected, only when that changed. Ready when every selected
 * node caches it (without a prefetch: when it is catalogued). Looked at again every {@link #RELIST}, every few seconds
 * while a prefetch runs. The finalizer drops the image's pin on every node with an agent.
 */
@ControllerConfiguration(name = "virtualmachineimage")
public final class VirtualMachineImageReconciler implements Reconciler<VirtualMachineImage>,
        Cleaner<VirtualMachineImage> {
    /** How often the listing is refreshed when nothing runs: caches change with every volume populated anywhere. */
    public static final Duration RELIST = Duration.ofSeconds(60);
    static final Duration WHILE_PREFETCHING = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachineImageReconciler.class);

    private final AgentDirectory agents;
    private final NodeLabels labels;
    private final SecretValues secrets;
    private final String platformNamespace;
    private final Conditions conditions;
    private final Duration relist;

    /** @param platformNamespace where {@code spec.credentialsSecret} lives: the operator's own namespace */
    public VirtualMachineImageReconciler(AgentDirectory agents, NodeLabels labels, SecretValues secrets,
                                         String platformNamespace, Conditions conditions, Duration relist) {
        this.agents = agents;
        this.labels = labels;
        this.secrets = secrets;
        this.platformNamespace = platformNamespace;
        this.conditions = conditions;
        this.relist = relist;
    }

    @Override
    public UpdateControl<VirtualMachineImage> reconcile(VirtualMachineImage image,
                                                        Context<VirtualMachineImage> context) {
        String name = image.getMetadata().getName();
        long generation = Optional.ofNullable(image.getMetadata().getGeneration()).orElse(0L);
        VirtualMachineImageSpec spec = image.getSpec();
        VirtualMachineImageStatus status = new VirtualMachineImageStatus();
        if (image.getStatus() != null) {
            status.setConditions(image.getStatus().getConditions());
        }
        status.setObservedGeneration(generation);
        ImageCredentials credentials;
        try {
            credentials = secrets.credentials(platformNamespace, spec.getCredentialsSecret(),
                    "spec.credentialsSecret").orElse(null);
        } catch (MissingSecret e) {
            conditions.set(status, generation, ConditionType.Ready, false, "SecretNotFound", e.getMessage());
            return write(image, status, relist, context);
        }
        List<String> selected = selectedNodes(spec.getPrefetch());
        boolean pin = spec.getPrefetch() != null && !Boolean.FALSE.equals(spec.getPrefetch().getPin());
        List<NodeImage> nodes = new ArrayList<>();
        String digest = spec.getSha256();
        for (String node : agents.nodeNames()) {
            NodeImageCache.Observed observed = observe(node, name, spec, selected.contains(node), pin, credentials);
            observed.entry().ifPresent(nodes::add);
            digest = digest != null ? digest : observed.sha256().orElse(null);
        }
        status.setNodes(nodes);
        status.setSha256(digest);
        status.setCachedNodes((int) nodes.stream().filter(n -> NodeImageCache.CACHED.equals(n.getState())).count());
        List<String> missing = nodes.stream().filter(n -> selected.contains(n.getNodeName())
                && !NodeImageCache.CACHED.equals(n.getState())).map(n -> n.getNodeName() + ": " + n.getState()).toList();
        boolean ready = spec.getPrefetch() == null || !selected.isEmpty() && missing.isEmpty();
        conditions.set(status, generation, ConditionType.Ready, ready,
                spec.getPrefetch() == null ? "Catalogued" : ready ? "Prefetched"
                        : selected.isEmpty() ? "NoNodeSelected" : "Prefetching",
                spec.getPrefetch() == null ? "cached on " + status.getCachedNodes() + " node(s); no prefetch asked"
                        : ready ? "cached on every selected node: " + String.join(", ", selected)
                        : selected.isEmpty() ? "no node with an agent matches spec.prefetch.nodeSelector"
                        : "not cached yet on " + String.join("; ", missing));
        boolean downloading = nodes.stream().anyMatch(n -> NodeImageCache.DOWNLOADING.equals(n.getState()));
        return write(image, status, downloading ? WHILE_PREFETCHING : relist, context);
    }

    private NodeImageCache.Observed observe(String node, String name, VirtualMachineImageSpec spec, boolean selected,
                                            boolean pin, ImageCredentials credentials) {
        Optional<AgentClient> agent = agents.forNode(node);
        if (agent.isEmpty()) {
            return unknown(node, selected, "no agent is known for the node");
        }
        try {
            return NodeImageCache.observe(agent.get(), node, name, spec, selected, pin, credentials);
        } catch (AgentCallException e) {
            LOG.atWarn().addKeyValue("virtualmachineimage", name).addKeyValue("node", node)
                    .log("cache listing or prefetch failed: {}", e.getMessage());
            return unknown(node, selected, String.valueOf(e.getMessage()));
        }
    }

    /** A node whose agent did not answer is listed only where the prefetch selects it (its cache is not known). */
    private static NodeImageCache.Observed unknown(String node, boolean selected, String message) {
        return new NodeImageCache.Observed(selected ? Optional.of(new NodeImage(node, NodeImageCache.UNKNOWN, null,
                null, NodeImageCache.clip(message))) : Optional.empty(), Optional.empty());
    }

    /** Writes through the primary cache, so the next reconcile compares against this write, not a stale copy. */
    private UpdateControl<VirtualMachineImage> write(VirtualMachineImage image, VirtualMachineImageStatus status,
                                                     Duration next, Context<VirtualMachineImage> context) {
        if (!Objects.equals(describe(image.getStatus()), describe(status))) {
            image.setStatus(status);
            StatusReplace.write(context, image);
            LOG.atInfo().addKeyValue("virtualmachineimage", image.getMetadata().getName())
                    .addKeyValue("cachedNodes", status.getCachedNodes()).log("catalogue image status written");
        }
        return UpdateControl.<VirtualMachineImage>noUpdate().rescheduleAfter(next);
    }

    /** Drops the image's pin on every node with an agent; an unreachable node keeps it (logged), which only holds space. */
    @Override
    public DeleteControl cleanup(VirtualMachineImage image, Context<VirtualMachineImage> context) {
        String name = image.getMetadata().getName();
        for (String node : agents.nodeNames()) {
            try {
                Optional<AgentClient> agent = agents.forNode(node);
                if (agent.isPresent()) {
                    agent.get().unpinCatalogImage(name);
                }
            } catch (AgentCallException e) {
                LOG.atWarn().addKeyValue("virtualmachineimage", name).addKeyValue("node", node)
                        .log("pin left on the node (drop it with DELETE /api/v1/cache/pins/{}): {}", name,
                                e.getMessage());
            }
        }
        return DeleteControl.defaultDelete();
    }

    private List<String> selectedNodes(ImagePrefetch prefetch) {
        if (prefetch == null) {
            return List.of();
        }
        Map<String, String> selector = prefetch.getNodeSelector();
        return agents.nodeNames().stream()
                .filter(node -> selector == null || labels.of(node).entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    /** What a status says, without timestamps: writes only when it changed. */
    private static String describe(VirtualMachineImageStatus status) {
        if (status == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(status.getObservedGeneration() + "|" + status.getSha256() + "|"
                + status.getCachedNodes());
        for (NodeImage node : status.getNodes() == null ? List.<NodeImage>of() : status.getNodes()) {
            text.append('|').append(node.getNodeName()).append(node.getState()).append(node.getSizeBytes())
                    .append(node.getPinned()).append(node.getMessage());
        }
        status.getConditions().forEach(c -> text.append('|').append(c.getType()).append(c.getStatus())
                .append(c.getReason()).append(c.getMessage()));
        return text.toString();
    }
}
