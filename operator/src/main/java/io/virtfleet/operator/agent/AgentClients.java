package io.virtfleet.operator.agent;

import io.micrometer.core.instrument.MeterRegistry;

import java.net.http.HttpClient;
import java.time.Duration;

/** Makes agent clients that share one HTTP client (one connection pool) and one metrics registry. */
public final class AgentClients {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MeterRegistry metrics;

    public AgentClients(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public AgentClient client(AgentEndpoint endpoint) {
        return new AgentClient(endpoint, http, metrics);
    }

    public MeterRegistry metrics() {
        return metrics;
    }
}
