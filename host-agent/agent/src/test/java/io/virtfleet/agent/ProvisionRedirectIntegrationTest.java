package io.virtfleet.agent;

import static io.virtfleet.agent.ProvisionCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.virtfleet.agent.cache.Cidr;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.ProvisionStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.provision.ProvisionSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning call's image prefixes hold for every redirect hop, not only for the URL in the body: an allowed
 * folder on an image server in this JVM that redirects elsewhere (an open redirect on a mirror) is refused before the
 * agent fetches from there; a redirect that stays under the prefixes is followed. A real agent on the real libvirtd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionRedirectIntegrationTest {
    private static final String OUTSIDE = "/elsewhere/disk.qcow2";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private AgentHarness harness;
    private HttpClient operatorTls;
    private String base;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        ProvisionCalls calls = new ProvisionCalls(dir);
        harness = calls.startAgent(dir.resolve("agent"), ProvisionSettings.enabled(base + "/golden/"),
                config -> config.cache(AgentHarness.cacheSettings().withHttpHosts(Set.of("127.0.0.1"))
                        .withAllowedNetworks(List.of(Cidr.parse("127.0.0.0/8")))));
        operatorTls = calls.operatorClient();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop(0);
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRedirectOutOfTheProvisionPrefixesIsRefusedAndNothingIsFetchedOrCreated() throws Exception {
        Map<String, String> redirects = Map.of("open-redirect", base + OUTSIDE, "dot-segments", "/golden/%2e%2e" + OUTSIDE);
        for (var redirect : redirects.entrySet()) {
            HttpResponse<String> refused = post(harness, operatorTls, AgentHarness.TOKEN,
                    body("/golden/redirect.qcow2?to=" + redirect.getValue(), redirect.getKey(), harness.image().sha256()));

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            ProvisionStatus failed = AgentJson.MAPPER.readValue(refused.body(), ProvisionStatus.class);
            assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
            assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
            assertThat(failed.error().message()).as(redirect.getKey()).contains("redirect", "/golden/redirect.qcow2");
            assertThat(poolVolumes()).as("nothing created").doesNotContain("vf-prov-" + redirect.getKey());
        }
        assertThat(requests).as("nothing fetched outside the prefixes").noneMatch(r -> r.contains(OUTSIDE));
    }

    /** Without a digest in the body the agent reads {@code <image>.sha256} first: that read is held to the rule too. */
    @Test
    void aChecksumFileRedirectedOutOfThePrefixesIsRefused() throws Exception {
        HttpResponse<String> refused = post(harness, operatorTls, AgentHarness.TOKEN,
                body("/golden/redirect.qcow2?to=" + base + OUTSIDE + ".sha256", "sidecar", null));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        ProvisionStatus failed = AgentJson.MAPPER.readValue(refused.body(), ProvisionStatus.class);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
        assertThat(failed.error().message()).contains("redirect", "/golden/redirect.qcow2.sha256");
        assertThat(requests).contains("GET /golden/redirect.qcow2.sha256").noneMatch(r -> r.contains(OUTSIDE));
        assertThat(poolVolumes()).doesNotContain("vf-prov-sidecar");
    }

    @Test
    void aRedirectThatStaysUnderThePrefixesIsFollowed() throws Exception {
        HttpResponse<String> answer = post(harness, operatorTls, AgentHarness.TOKEN,
                body("/golden/redirect.qcow2?to=/golden/disk.qcow2", "moved", harness.image().sha256()));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        ProvisionStatus ready = AgentJson.MAPPER.readValue(answer.body(), ProvisionStatus.class);
        assertThat(ready.imageSha256()).isEqualTo(harness.image().sha256());
        assertThat(harness.compareWithImage(Path.of(ready.path()))).as("qemu-img compare exit code").isZero();
        assertThat(requests).contains("GET /golden/disk.qcow2");
    }

    /**
     * {@code /golden/redirect.qcow2?to=<location>} (and its {@code .sha256}, which keeps the query) redirects there;
     * any other path serves the test image.
     */
    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        String query = exchange.getRequestURI().getRawQuery();
        if (path.startsWith("/golden/redirect.qcow2") && query != null && query.startsWith("to=")) {
            exchange.getResponseHeaders().set("Location", query.substring(3));
            exchange.sendResponseHeaders(302, -1);
        } else {
            byte[] image = Files.readAllBytes(harness.image().path());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.getResponseHeaders().set("ETag", "\"v1\"");
            exchange.sendResponseHeaders(200, head ? -1 : image.length);
            if (!head) {
                exchange.getResponseBody().write(image);
            }
        }
        exchange.close();
    }

    /** @param sha256 null: none in the body, the agent reads the checksum file */
    private String body(String path, String volume, String sha256) {
        return "{\"imageUrl\":\"" + base + path + "\"" + (sha256 == null ? "" : ",\"sha256\":\"" + sha256 + "\"")
                + ",\"format\":\"qcow2\",\"volume\":\"" + volume + "\",\"sizeBytes\":" + AgentHarness.VOLUME_SIZE + "}";
    }

    private List<String> poolVolumes() throws Exception {
        return List.of(harness.sandbox().connect().storagePoolLookupByName(harness.sandbox().poolName()).listVolumes());
    }
}
