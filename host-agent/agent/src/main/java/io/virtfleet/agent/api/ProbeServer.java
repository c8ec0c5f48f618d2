package io.virtfleet.agent.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.contract.AgentPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The second listener: plain HTTP serving exactly {@code GET /healthz} ("ok" / 503 "not live"), {@code GET /readyz} ("ready" / 503 "not
 * ready", no detail) and {@code GET /metrics}, and nothing else (404). Kubelet probes and Prometheus cannot present
 * the operator's client certificate, so they get this read-only port instead of a credential for the API: nothing
 * here changes state or answers with more than counters and a yes/no.
 */
public final class ProbeServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ProbeServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ProbeServer start(String bindAddress, int port, Liveness liveness, Readiness readiness,
                                    PrometheusMeterRegistry metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + " for probes", e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    answer(exchange, 405, "text/plain", "GET only");
                    return;
                }
                switch (exchange.getRequestURI().getPath()) {
                    case AgentPaths.HEALTH -> {
                        boolean live = liveness.problem().isEmpty();
                        answer(exchange, live ? 200 : 503, "text/plain", live ? "ok" : "not live");
                    }
                    case AgentPaths.READY -> {
                        boolean ready = readiness.problem().isEmpty();
                        answer(exchange, ready ? 200 : 503, "text/plain", ready ? "ready" : "not ready");
                    }
                    case AgentPaths.METRICS -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape());
                    default -> answer(exchange, 404, "text/plain", "not found");
                }
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "agent-probes");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new ProbeServer(server, executor);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
