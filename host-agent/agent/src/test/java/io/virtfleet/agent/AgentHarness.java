package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheListing;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.libvirt.LibvirtException;

/**
 * A real agent for integration tests: a {@link LibvirtSandbox} on the real libvirtd, an S3 server in this JVM
 * (S3Proxy, a stand-in for MinIO) holding one test image at {@link #IMAGE_URL}, and an HTTP client. Skipped when
 * libvirtd or qemu-img are missing, failed instead under CI=true.
 */
public final class AgentHarness implements AutoCloseable {
    public static final String TOKEN = "integration-test-token";
    public static final String IMAGE_URL = "s3://images/test-image.qcow2";
    public static final long VOLUME_SIZE = 128L << 20;
    private static final Duration POPULATE_TIMEOUT = Duration.ofSeconds(60);

    private final LibvirtSandbox sandbox;
    private final InProcessS3 s3;
    private final TestImage image;
    private final AgentConfig config;
    private final HostAgent agent;
    private final AgentClient client;

    private AgentHarness(LibvirtSandbox sandbox, InProcessS3 s3, TestImage image, AgentConfig config, HostAgent agent) {
        this.sandbox = sandbox;
        this.s3 = s3;
        this.image = image;
        this.config = config;
        this.agent = agent;
        this.client = new AgentClient(agent.baseUri(), TOKEN);
    }

    /** @param configure adjusts the agent configuration (e.g. a short shutdown timeout) */
    public static AgentHarness start(Path dir, UnaryOperator<AgentConfig.Builder> configure) throws LibvirtException {
        return start(LibvirtSandbox.create(), dir, configure, UnaryOperator.identity());
    }

    /** An agent on a new sandbox of the system libvirtd, its S3 endpoint given as {@code s3Front} makes it. */
    public static AgentHarness start(Path dir, UnaryOperator<AgentConfig.Builder> configure, UnaryOperator<URI> s3Front)
            throws LibvirtException {
        return start(LibvirtSandbox.create(), dir, configure, s3Front);
    }

    /** The cache settings the harness gives the agent: defaults, with the platform's keys allowed on the test bucket. */
    public static CacheSettings cacheSettings() {
        return CacheSettings.DEFAULTS.withS3PlatformPrefixes(List.of("images/"));
    }

    /**
     * An agent on {@code sandbox}'s libvirtd (e.g. a {@link PrivateLibvirtd}); closing the harness closes the sandbox.
     *
     * @param s3Front the S3 endpoint the agent is given, from the server's (e.g. a {@code FaultyProxy} in front of it)
     */
    public static AgentHarness start(LibvirtSandbox sandbox, Path dir, UnaryOperator<AgentConfig.Builder> configure,
                                     UnaryOperator<URI> s3Front) throws LibvirtException {
        InProcessS3 s3 = null;
        try {
            s3 = InProcessS3.start(dir.resolve("s3"));
            s3.createBucket("images");
            TestImage image = TestImages.create(dir.resolve("images"), "test-image");
            s3.putObject("images", "test-image.qcow2", image.path());
            s3.putObject("images", "test-image.qcow2.sha256", image.sha256Sidecar().getBytes(StandardCharsets.UTF_8));
            AgentConfig config = configure.apply(sandbox.agentConfig(TOKEN, dir.resolve("agent"))
                    .s3(new S3Settings(s3Front.apply(s3.endpoint()), s3.region(), s3.accessKey(), s3.secretKey()))
                    .cache(cacheSettings())).build();
            return new AgentHarness(sandbox, s3, image, config, HostAgent.start(config));
        } catch (RuntimeException e) {
            if (s3 != null) {
                s3.close();
            }
            sandbox.close();
            throw e;
        }
    }

    public LibvirtSandbox sandbox() {
        return sandbox;
    }

    public InProcessS3 s3() {
        return s3;
    }

    public TestImage image() {
        return image;
    }

    public AgentConfig config() {
        return config;
    }

    public HostAgent agent() {
        return agent;
    }

    public AgentClient client() {
        return client;
    }

    /** PUTs a volume of {@link #VOLUME_SIZE} with the test image and waits until it is Ready. */
    public VolumeStatus provision(String volume, String token) {
        return provision(volume, volumeRequest(token));
    }

    /** PUTs the volume and waits until it is Ready. */
    public VolumeStatus provision(String volume, VolumeRequest request) {
        AgentClient.Response accepted = client.volumes().put(volume, request);
        assertThat(accepted.status()).as(accepted.body()).isIn(200, 202);
        VolumeStatus status = awaitSettled(volume);
        assertThat(status.phase()).as("volume %s: %s", volume, status.error()).isEqualTo(VolumePhase.Ready);
        return status;
    }

    public VolumeStatus awaitSettled(String volume) {
        return await().atMost(POPULATE_TIMEOUT).until(() -> client.volumes().status(volume, VolumeStatus.class),
                status -> status.phase() == VolumePhase.Ready || status.phase() == VolumePhase.Failed);
    }

    public static VolumeRequest volumeRequest(String token) {
        return new VolumeRequest(IMAGE_URL, null, VOLUME_SIZE, null, token);
    }

    /**
     * Nothing lost or corrupted, nothing partial: the cache holds exactly the test image, its file hashes to the
     * image's digest, and no download is left in the cache's tmp folder.
     */
    public void assertOnlyTheImageIsCachedIntact() throws IOException {
        CacheListing listing = client.send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class);
        assertThat(listing.entries()).singleElement().satisfies(e -> assertThat(e.sha256()).isEqualTo(image.sha256()));
        Path cacheDir = config.cacheDir();
        assertThat(TestImages.sha256(cacheDir.resolve("sha256").resolve(image.sha256()))).isEqualTo(image.sha256());
        try (Stream<Path> partial = Files.list(cacheDir.resolve("tmp"))) {
            assertThat(partial.toList()).as("partial downloads").isEmpty();
        }
    }

    /** {@code qemu-img compare} exits 0 when the volume's first bytes equal the image and the rest is zeros. */
    public int compareWithImage(Path raw) throws Exception {
        return image.compareWith(raw);
    }

    @Override
    public void close() throws LibvirtException {
        try {
            agent.close();
            s3.close();
        } finally {
            sandbox.close();
        }
    }
}
