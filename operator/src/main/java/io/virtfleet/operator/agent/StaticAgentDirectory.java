package io.virtfleet.operator.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed list of agents, for hypervisors outside the cluster and for the local stack. */
public final class StaticAgentDirectory implements AgentDirectory {
    private final Map<String, AgentClient> clients = new LinkedHashMap<>();

    public StaticAgentDirectory(List<AgentEndpoint> endpoints, AgentClients factory) {
        endpoints.forEach(endpoint -> clients.put(endpoint.nodeName(), factory.client(endpoint)));
    }

    @Override
    public List<String> nodeNames() {
        return List.copyOf(clients.keySet());
    }

    @Override
    public Optional<AgentClient> forNode(String nodeName) {
        return Optional.ofNullable(clients.get(nodeName));
    }
}
