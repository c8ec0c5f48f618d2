package io.virtfleet.operator.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.Optional;

/** Node labels from the cluster's Node objects, kept current by an informer. */
public final class KubernetesNodeLabels implements NodeLabels, AutoCloseable {
    private final SharedIndexInformer<Node> nodes;

    public KubernetesNodeLabels(KubernetesClient client) {
        this.nodes = client.nodes().inform();
    }

    @Override
    public Map<String, String> of(String node) {
        return Optional.ofNullable(nodes.getStore().getByKey(node))
                .map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    }

    @Override
    public void close() {
        nodes.close();
    }
}
