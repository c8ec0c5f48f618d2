package io.virtfleet.operator.discovery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CombinedAgentDirectoryTest {
    private final AgentClients clients = new AgentClients(new SimpleMeterRegistry(), io.virtfleet.operator.agent.AgentTransport.insecurePlainHttp());

    @Test
    void knowsTheAgentsOfBothDirectoriesAndTheFirstWinsForANodeBothName() {
        var outside = new StaticAgentDirectory(List.of(endpoint("hv-07", "http://10.0.0.7:9440"),
                endpoint("hv-01", "http://192.0.2.1:9440")), clients);
        var pods = new StaticAgentDirectory(List.of(endpoint("hv-01", "http://10.244.0.5:9440"),
                endpoint("hv-02", "http://10.244.1.5:9440")), clients);

        var combined = new CombinedAgentDirectory(List.of(outside, pods));

        assertThat(combined.nodeNames()).containsExactly("hv-07", "hv-01", "hv-02");
        assertThat(combined.forNode("hv-01")).get().extracting(AgentClient::endpoint)
                .satisfies(e -> assertThat(e.baseUri()).isEqualTo(URI.create("http://192.0.2.1:9440")));
        assertThat(combined.forNode("hv-02")).get().extracting(AgentClient::endpoint)
                .satisfies(e -> assertThat(e.baseUri()).isEqualTo(URI.create("http://10.244.1.5:9440")));
        assertThat(combined.forNode("hv-99")).isEmpty();
    }

    private static AgentEndpoint endpoint(String node, String uri) {
        return new AgentEndpoint(node, URI.create(uri), "token");
    }
}
