package io.virtfleet.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The operator's own HTTP endpoints: Prometheus text at {@code /metrics} on the metrics port, and the probes on the
 * health port — {@code /healthz} (the process serves: liveness) and {@code /readyz} (the controllers run: a standby
 * replica waiting for the leader Lease is alive but not ready). One port may serve both.
 */
public final class OperatorEndpoints implements AutoCloseable {
    private final List<HttpServer> servers;

    private OperatorEndpoints(List<HttpServer> servers) {
        this.servers = servers;
    }

    /** Ports: 0 picks a free one (each its own); a negative port serves nothing; equal positive ports share. */
    public static OperatorEndpoints start(PrometheusMeterRegistry registry, int metricsPort, int healthPort,
                                          BooleanSupplier ready) {
        List<HttpServer> servers = new ArrayList<>();
        try {
            HttpServer metrics = metricsPort < 0 ? null : server(metricsPort, servers);
            HttpServer health = healthPort < 0 ? null
                    : healthPort > 0 && healthPort == metricsPort ? metrics : server(healthPort, servers);
            if (metrics != null) {
                metrics.createContext("/metrics", exchange ->
                        answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            }
            if (health != null) {
                health.createContext("/healthz", exchange -> answer(exchange, 200, "text/plain", "ok"));
                health.createContext("/readyz", exchange -> {
                    boolean isReady = ready.getAsBoolean();
                    answer(exchange, isReady ? 200 : 503, "text/plain",
                            isReady ? "ready" : "not ready: controllers not started (waiting for the leader Lease?)");
                });
            }
            servers.forEach(HttpServer::start);
            return new OperatorEndpoints(servers);
        } catch (IOException e) {
            servers.forEach(s -> s.stop(0));
            throw new UncheckedIOException("cannot serve the operator's endpoints", e);
        }
    }

    private static HttpServer server(int port, List<HttpServer> servers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        servers.add(server);
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The port of the first server (metrics when served, else health). */
    public int port() {
        return servers.get(0).getAddress().getPort();
    }

    /** Ports of every server, metrics first. */
    public List<Integer> ports() {
        return servers.stream().map(s -> s.getAddress().getPort()).toList();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
