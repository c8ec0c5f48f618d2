package io.virtfleet.operator.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoints the chart's probes and ServiceMonitor use, over real HTTP. */
class OperatorEndpointsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsAndProbesOnSeparatePorts() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("virtfleet_test_total").register(registry).increment();
        AtomicBoolean ready = new AtomicBoolean(false);
        try (var endpoints = OperatorEndpoints.start(registry, 0, 0, ready::get)) {
            int metricsPort = endpoints.ports().get(0);
            int healthPort = endpoints.ports().get(1);
            assertThat(metricsPort).isNotEqualTo(healthPort);

            assertThat(get(metricsPort, "/metrics").body()).contains("virtfleet_test_total 1.0");
            assertThat(get(healthPort, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(healthPort, "/readyz").statusCode()).as("standby: alive, not ready").isEqualTo(503);
            ready.set(true);
            assertThat(get(healthPort, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(metricsPort, "/readyz").statusCode()).as("probes only on the health port").isEqualTo(404);
        }
    }

    @Test
    void negativePortsServeNothing() {
        try (var endpoints = OperatorEndpoints.start(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), -1, -1,
                () -> true)) {
            assertThat(endpoints.ports()).isEmpty();
        }
    }
}
