package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.fixtures.FaultyProxy;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety of the image cache with a real agent process: it downloads an image (from an S3 server in this JVM,
 * through a proxy that holds the response part-way so the kill lands mid-download), is killed with SIGKILL, and is
 * started again on the same cache folder. No entry may exist for the half-downloaded image, the partial file goes at
 * start, and the next request downloads and verifies the image. The agent runs on libvirt's {@code test:///default}
 * driver: the cache needs no hypervisor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCacheKillIntegrationTest {
    private static final String TOKEN = "kill-test-token";
    private static final int IMAGE_BYTES = 48 << 20;
    private static final String URL = "s3://images/kill.qcow2";

    private Path work;
    private InProcessS3 s3;
    private FaultyProxy proxy;
    private String sha256;
    private final List<Process> agents = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        HostPrerequisites.requireLibvirt();
        work = Files.createTempDirectory("vf-kill-test");
        s3 = InProcessS3.start(work.resolve("s3"));
        s3.createBucket("images");
        byte[] image = new byte[IMAGE_BYTES];
        new Random(99).nextBytes(image);
        s3.putObject("images", "kill.qcow2", image);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        s3.putObject("images", "kill.qcow2.sha256", (sha256 + "  kill.qcow2\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        proxy = FaultyProxy.start(s3.endpoint());
    }

    @AfterEach
    void killLeftovers() {
        agents.forEach(Process::destroyForcibly);
        agents.clear();
    }

    @AfterAll
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "killed after {0}% of the image")
    @ValueSource(ints = {10, 50, 90})
    void aKilledDownloadNeverLeavesAnEntryAndTheNextRequestDownloadsAndVerifies(int percent) throws Exception {
        Path cacheDir = work.resolve("cache-" + percent);
        proxy.pauseResponsesAfter((long) IMAGE_BYTES * percent / 100);
        Agent first = startAgent(cacheDir);
        assertThat(first.prefetch().status()).isEqualTo(202);
        assertThat(proxy.awaitPaused(Duration.ofSeconds(30))).as("download held part-way").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.prefetch().as(PrefetchStatus.class).bytesDone() > 0);
        assertThat(filesIn(cacheDir.resolve("tmp"))).singleElement()
                .satisfies(part -> assertThat(Files.size(part)).isBetween(1L, (long) IMAGE_BYTES - 1));

        first.process().destroyForcibly(); // SIGKILL
        assertThat(first.process().waitFor()).isEqualTo(128 + 9);
        proxy.dropAll();
        proxy.release();
        assertThat(cacheDir.resolve("sha256").resolve(sha256)).doesNotExist();
        assertThat(filesIn(cacheDir.resolve("tmp"))).hasSize(1); // the partial file is still there

        Agent second = startAgent(cacheDir);
        assertThat(filesIn(cacheDir.resolve("tmp"))).as("partial downloads removed at start").isEmpty();
        assertThat(second.client().send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class).entries()).isEmpty();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> second.prefetch().as(PrefetchStatus.class).phase().equals(PrefetchStatus.CACHED));
        PrefetchStatus cached = second.prefetch().as(PrefetchStatus.class);
        assertThat(cached.imageSha256()).isEqualTo(sha256);
        assertThat(cached.imageVerified()).isTrue();
        assertThat(TestImages.sha256(cacheDir.resolve("sha256").resolve(sha256))).isEqualTo(sha256);
        assertThat(second.client().send("DELETE", AgentPaths.cacheImage(sha256), null).status()).isEqualTo(204);
        second.process().destroy();
        assertThat(second.process().waitFor()).isIn(0, 143);
    }

    private record Agent(Process process, AgentClient client) {
        AgentClient.Response prefetch() {
            return client.send("POST", AgentPaths.CACHE_PREFETCH, new PrefetchRequest(URL, null, null));
        }
    }

    /** Starts {@link HostAgent#main} in a new JVM on the cache folder and waits until it answers. */
    private Agent startAgent(Path cacheDir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HostAgent.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("agent.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("VIRTFLEET_AGENT_TOKEN", TOKEN);
        // This test's client speaks plain HTTP: the agent process is told so explicitly (mutual TLS is AgentMutualTlsTest's).
        env.put("VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "true");
        env.put("VIRTFLEET_AGENT_PROBE_PORT", "-1");
        env.put("VIRTFLEET_AGENT_BIND", "127.0.0.1");
        env.put("VIRTFLEET_AGENT_PORT", String.valueOf(port));
        env.put("VIRTFLEET_AGENT_LIBVIRT_URI", "test:///default");
        env.put("VIRTFLEET_AGENT_DOMAIN_TYPE", "qemu");
        env.put("VIRTFLEET_AGENT_CACHE_DIR", cacheDir.toString());
        env.put("VIRTFLEET_AGENT_STATE_DIR", work.resolve("state").toString());
        env.put("VIRTFLEET_AGENT_S3_ENDPOINT", proxy.endpoint().toString());
        env.put("VIRTFLEET_AGENT_S3_ACCESS_KEY", s3.accessKey());
        env.put("VIRTFLEET_AGENT_S3_SECRET_KEY", s3.secretKey());
        env.put("VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES", "images/");
        env.put("VIRTFLEET_AGENT_CACHE_READ_TIMEOUT_SECONDS", "600"); // held responses must not time out here
        Process process = builder.start();
        agents.add(process);
        AgentClient client = new AgentClient(URI.create("http://127.0.0.1:" + port), TOKEN);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive()).as("agent process alive (see " + work.resolve("agent.log") + ")").isTrue();
                    return client.send("GET", AgentPaths.HEALTH, null).status() == 200;
                });
        return new Agent(process, client);
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
