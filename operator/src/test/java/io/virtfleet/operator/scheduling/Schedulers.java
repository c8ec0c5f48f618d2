package io.virtfleet.operator.scheduling;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import io.virtfleet.operator.health.AgentHealth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Schedulers for tests: static agents that are never called, capacities and commitments as the test gives them. */
public final class Schedulers {
    private Schedulers() {
    }

    public static NodeScheduler over(List<String> nodes, NodeLabels labels, CapacitySource capacities,
                                     Commitments commitments) {
        StaticAgentDirectory agents = new StaticAgentDirectory(nodes.stream()
                .map(n -> new AgentEndpoint(n, URI.create("http://" + n + ":9440"), "t")).toList(),
                new AgentClients(new SimpleMeterRegistry(), AgentTransport.insecurePlainHttp()));
        AgentHealth health = new AgentHealth(agents, Duration.ofSeconds(1), Duration.ofSeconds(3), Clock.systemUTC());
        return new NodeScheduler(agents, labels, capacities, commitments, health, 2.0);
    }
}
