package io.virtfleet.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.contract.AgentPaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the API does with bodies and unauthenticated probes before any service runs: unknown fields and oversized
 * bodies (declared or chunked) are refused, {@code /readyz} says no more than "not ready", on both listeners.
 */
class AgentApiHygieneTest {
    private final HttpClient http = HttpClient.newHttpClient();
    /** Readiness over no pools at all: fails with an internal NullPointerException, which must not be shown. */
    private final Readiness broken = new Readiness(null, "virtfleet");
    private final Liveness live = new Liveness(List.of(), Duration.ofSeconds(60));
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private AgentHttpServer server;
    private ProbeServer probes;

    @BeforeEach
    void start() {
        // The cache is never reached: every request here is refused while its body is read.
        server = AgentHttpServer.start("127.0.0.1", 0, null, null, app -> {
            ProbeRoutes.register(app, live, broken, metrics);
            CacheRoutes.register(app, null);
        });
        probes = ProbeServer.start("127.0.0.1", 0, live, broken, metrics);
    }

    @AfterEach
    void stop() {
        server.close();
        probes.close();
    }

    @Test
    void anUnknownFieldIsRefusedWith400NamingIt() throws Exception {
        HttpResponse<String> answer = post(HttpRequest.BodyPublishers.ofString(
                "{\"imageUrl\":\"s3://images/a.qcow2\",\"imageSha256\":null,\"runAsRoot\":true}"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("InvalidRequest").contains("unknown field 'runAsRoot'");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
        byte[] big = ("{\"imageUrl\":\"" + "a".repeat((int) Requests.MAX_BODY_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // An InputStream publisher has no length: the JDK client sends it chunked, with no Content-Length to check.
        HttpResponse<String> answer = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("exceeds " + Requests.MAX_BODY_BYTES + " bytes");
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedWith413() throws Exception {
        byte[] big = new byte[(int) Requests.MAX_BODY_BYTES + 1];

        assertThat(post(HttpRequest.BodyPublishers.ofByteArray(big)).statusCode()).isEqualTo(413);
    }

    @Test
    void readyzCarriesNoInternalErrorTextOnEitherListener() throws Exception {
        for (URI base : new URI[] {URI.create("http://127.0.0.1:" + server.port()),
                URI.create("http://127.0.0.1:" + probes.port())}) {
            HttpResponse<String> answer = get(base.resolve(AgentPaths.READY));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).isEqualTo("not ready");
        }
    }

    @Test
    void theProbesListenerServesProbesAndMetricsAndNothingElse() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + probes.port());
        metrics.counter("virtfleet_probe_test").increment();

        assertThat(get(base.resolve(AgentPaths.HEALTH)).body()).isEqualTo("ok");
        assertThat(get(base.resolve(AgentPaths.METRICS)).body()).contains("virtfleet_probe_test");
        assertThat(get(base.resolve(AgentPaths.CACHE_IMAGES)).statusCode()).isEqualTo(404);
        assertThat(get(base.resolve(AgentPaths.HOST)).statusCode()).isEqualTo(404);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.resolve(AgentPaths.volume("x")))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + AgentPaths.CACHE_PREFETCH)).header("Content-Type", "application/json").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
