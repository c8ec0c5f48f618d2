package io.virtfleet.operator.agent;

import io.micrometer.core.instrument.MeterRegistry;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Makes agent clients that share one HTTP client (one connection pool), one transport ({@link AgentTransport}: mutual
 * TLS, or plain HTTP only when explicitly insecure) and one metrics registry.
 */
public final class AgentClients {
    private final HttpClient http;
    private final AgentTransport transport;
    private final MeterRegistry metrics;

    public AgentClients(MeterRegistry metrics, AgentTransport transport) {
        this.metrics = metrics;
        this.transport = transport;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!transport.insecure()) {
            builder.sslContext(transport.ssl());
        }
        this.http = builder.build();
    }

    /** A client for one agent; refuses an endpoint whose scheme the transport must not use. */
    public AgentClient client(AgentEndpoint endpoint) {
        transport.check(endpoint.nodeName(), endpoint.baseUri());
        return new AgentClient(endpoint, http, metrics);
    }

    public AgentTransport transport() {
        return transport;
    }

    public MeterRegistry metrics() {
        return metrics;
    }
}
