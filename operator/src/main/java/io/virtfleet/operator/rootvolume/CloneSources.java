package io.virtfleet.operator.rootvolume;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.agent.contract.CloneRequest;
import io.virtfleet.crds.v1alpha1.CloneSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;
import java.time.Duration;
import java.util.Optional;

/**
 * A cloned RootVolume's source ({@code spec.source}), always read in the clone's own namespace: the node it lives on
 * (the clone must live there too) and the agent request that copies it, or why the clone waits or is refused.
 */
final class CloneSources {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private CloneSources() {
    }

    /** Either a node and the request, or the outcome that ends this reconcile. */
    record Resolved(String node, CloneRequest request, Optional<Outcome<RootVolumePhase>> stop) {
    }

    static Resolved resolve(KubernetesClient client, RootVolume clone) {
        String namespace = clone.getMetadata().getNamespace();
        CloneSource source = clone.getSpec().getSource();
        String node;
        CloneRequest request;
        if (source.getRootVolume() != null) {
            RootVolume from = client.resources(RootVolume.class).inNamespace(namespace)
                    .withName(source.getRootVolume()).get();
            if (from == null || from.getStatus() == null || from.getStatus().getPhase() != RootVolumePhase.Ready) {
                return waiting("RootVolume " + source.getRootVolume() + " is not Ready in namespace " + namespace);
            }
            node = from.getStatus().getNodeName();
            request = new CloneRequest(AgentNames.of(from), null, from.getMetadata().getUid(),
                    clone.getMetadata().getUid());
        } else {
            VirtualMachineSnapshot from = client.resources(VirtualMachineSnapshot.class).inNamespace(namespace)
                    .withName(source.getVirtualMachineSnapshot()).get();
            if (from == null || from.getStatus() == null || !Boolean.TRUE.equals(from.getStatus().getReadyToUse())) {
                return waiting("VirtualMachineSnapshot " + source.getVirtualMachineSnapshot() + " is not readyToUse in"
                        + " namespace " + namespace);
            }
            node = from.getStatus().getNodeName();
            request = new CloneRequest(null, AgentNames.of(from), from.getMetadata().getUid(),
                    clone.getMetadata().getUid());
        }
        String pinned = clone.getStatus().getNodeName() != null ? clone.getStatus().getNodeName()
                : clone.getSpec().getNodeName();
        if (pinned != null && !pinned.equals(node)) {
            return new Resolved(null, null, Optional.of(Outcome.notReady(RootVolumePhase.Failed,
                    Reason.SOURCE_ON_ANOTHER_NODE, "the source is on node " + node + ", this RootVolume on " + pinned
                            + "; a clone is copied on its source's node: drop spec.nodeName or name that node",
                    RootVolumeReconciler.RETRY_AFTER_FAILURE)));
        }
        return new Resolved(node, request, Optional.empty());
    }

    private static Resolved waiting(String message) {
        return new Resolved(null, null, Optional.of(Outcome.notReady(RootVolumePhase.Pending, Reason.SOURCE_NOT_READY,
                message + "; the clone waits for it", WAIT)));
    }
}
