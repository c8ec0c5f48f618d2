package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.agent.cache.Cidr;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * Which sources a real agent (HTTP API, libvirtd, qemu-img) fetches from: an image server on this host's loopback is
 * refused by default and used once the platform allows its network; the platform's S3 keys serve only the listed
 * buckets.
 */
class ImageSourceIntegrationTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private AgentHarness harness;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = Files.readAllBytes(harness.image().path());
            exchange.getResponseHeaders().add("ETag", "\"v1\"");
            exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws LibvirtException {
        server.stop(0);
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aLoopbackSourceIsRefusedByDefault() throws Exception {
        harness = AgentHarness.start(dir, config -> config.cache(platform().withHttpHosts(Set.of("127.0.0.1"))));
        String volume = harness.sandbox().name("loopback");

        harness.client().volumes().put(volume, request());
        VolumeStatus failed = harness.awaitSettled(volume);

        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
        assertThat(failed.error().message()).contains("127.0.0.1", "VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS");
        assertThat(requests).as("nothing was sent to the refused address").isEmpty();
    }

    @Test
    void aLoopbackSourceIsUsedOnceThePlatformAllowsItsNetwork() throws Exception {
        harness = AgentHarness.start(dir, config -> config.cache(platform().withHttpHosts(Set.of("127.0.0.1"))
                .withAllowedNetworks(List.of(Cidr.parse("127.0.0.0/8")))));
        String volume = harness.sandbox().name("loopback");

        harness.client().volumes().put(volume, request());
        VolumeStatus ready = harness.awaitSettled(volume);

        assertThat(ready.phase()).as("%s", ready.error()).isEqualTo(VolumePhase.Ready);
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).isZero();
        assertThat(requests).contains("GET /images/test.qcow2");
    }

    @Test
    void thePlatformKeysServeOnlyTheListedBucketsAlsoForPrefetches() throws Exception {
        harness = AgentHarness.start(dir, config -> config.cache(platform()));
        harness.s3().createBucket("tenant-b-private");
        harness.s3().putObject("tenant-b-private", "secret.qcow2", harness.image().path());

        AgentClient.Response refused = harness.client().send("POST", AgentPaths.CACHE_PREFETCH,
                new PrefetchRequest("s3://tenant-b-private/secret.qcow2", harness.image().sha256(), null));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
        assertThat(refused.error().message()).contains("VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES", "images/");

        String volume = harness.sandbox().name("private");
        harness.client().volumes().put(volume, new VolumeRequest("s3://tenant-b-private/secret.qcow2",
                harness.image().sha256(), AgentHarness.VOLUME_SIZE, null, "t1"));
        VolumeStatus failed = harness.awaitSettled(volume);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
        assertThat(harness.s3().getRequestCount("tenant-b-private", "secret.qcow2")).isZero();
    }

    private static CacheSettings platform() {
        return CacheSettings.DEFAULTS.withS3PlatformPrefixes(List.of("images/"));
    }

    private VolumeRequest request() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/images/test.qcow2";
        return new VolumeRequest(url, harness.image().sha256(), AgentHarness.VOLUME_SIZE, null, "t1");
    }
}
