package io.virtfleet.operator.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents of the cluster: the host-agent DaemonSet's pods, found by label, one per node. A pod counts once it is
 * Running with an IP; the client of a node follows its pod when the pod is replaced (new IP).
 */
public final class PodAgentDirectory implements AgentDirectory, AutoCloseable {
    private final SharedIndexInformer<Pod> pods;
    private final int port;
    private final String scheme;
    private final String token;
    private final AgentClients factory;
    private final Map<String, AgentClient> clients = new ConcurrentHashMap<>();

    /**
     * @param labels the DaemonSet's pod labels, e.g. {@code app.kubernetes.io/name=virtfleet-agent}; agents are
     *               called with the scheme of the factory's transport ({@code https} unless insecure)
     */
    public PodAgentDirectory(KubernetesClient client, String namespace, Map<String, String> labels,
                             int port, String token, AgentClients factory) {
        this.port = port;
        this.scheme = factory.transport().scheme();
        this.token = token;
        this.factory = factory;
        this.pods = client.pods().inNamespace(namespace).withLabels(labels).inform();
    }

    @Override
    public List<String> nodeNames() {
        return List.copyOf(runningAgentsByNode().keySet());
    }

    @Override
    public Optional<AgentClient> forNode(String nodeName) {
        Pod pod = runningAgentsByNode().get(nodeName);
        if (pod == null) {
            return Optional.empty();
        }
        URI uri = URI.create(scheme + "://" + pod.getStatus().getPodIP() + ":" + port);
        return Optional.of(clients.compute(nodeName, (node, existing) ->
                existing != null && existing.endpoint().baseUri().equals(uri) ? existing
                        : factory.client(new AgentEndpoint(node, uri, token))));
    }

    private Map<String, Pod> runningAgentsByNode() {
        Map<String, Pod> byNode = new TreeMap<>();
        for (Pod pod : pods.getStore().list()) {
            boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                    && pod.getStatus().getPodIP() != null && pod.getSpec().getNodeName() != null
                    && pod.getMetadata().getDeletionTimestamp() == null;
            if (running) {
                byNode.put(pod.getSpec().getNodeName(), pod);
            }
        }
        return byNode;
    }

    @Override
    public void close() {
        pods.close();
    }
}
