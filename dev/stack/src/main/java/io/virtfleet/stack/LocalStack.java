package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.virtfleet.agent.AgentConfig;
import io.virtfleet.agent.DomainTypeSetting;
import io.virtfleet.agent.HostAgent;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.VirtFleetOperator;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.StaticAgentDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The whole system in one JVM: a mock Kubernetes API (stand-in), an in-process S3 server (stand-in) holding a sample
 * image, one real host agent on the local libvirtd, and the operator. {@code dev/local} runs it; the end-to-end tests
 * drive it.
 */
public final class LocalStack implements AutoCloseable {
    public static final String NODE_NAME = "local";
    public static final String NAMESPACE = "default";
    public static final String IMAGE_BUCKET = "virtfleet-images";
    public static final String SAMPLE_IMAGE_KEY = "quickstart/quickstart.qcow2";

    private final Options options;
    private final MockKubernetesApi kubernetes;
    private final InProcessS3 s3;
    private final TestImage sampleImage;
    private final HostAgent agent;
    private final VirtFleetOperator operator;

    /**
     * @param workDir    where the stack keeps S3 data, the image cache, agent state and the storage pool
     * @param libvirtUri libvirt connection of the agent
     * @param domainType libvirt domain type: {@code qemu} on hosts whose KVM cannot run guests
     * @param poolName   name of the libvirt dir pool the agent creates under workDir when missing
     */
    public record Options(Path workDir, String libvirtUri, String domainType, String poolName) {
    }

    private LocalStack(Options options) throws IOException {
        this.options = options;
        Path work = Files.createDirectories(options.workDir());
        kubernetes = MockKubernetesApi.start();
        s3 = InProcessS3.start(work.resolve("s3"));
        sampleImage = TestImages.create(work.resolve("images"), "quickstart");
        s3.createBucket(IMAGE_BUCKET);
        s3.putObject(IMAGE_BUCKET, SAMPLE_IMAGE_KEY, sampleImage.path());
        s3.putObject(IMAGE_BUCKET, SAMPLE_IMAGE_KEY + ".sha256",
                sampleImage.sha256Sidecar().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        agent = HostAgent.start(AgentConfig.builder(token)
                .nodeName(NODE_NAME)
                .libvirtUri(options.libvirtUri())
                .defaultPool(options.poolName())
                .poolPath(work.resolve("pool"))
                .cacheDir(work.resolve("cache"))
                .stateDir(work.resolve("state"))
                .domainType(DomainTypeSetting.parse(options.domainType()))
                .s3(new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey()))
                .build());
        operator = new VirtFleetOperator(kubernetes.client(), new StaticAgentDirectory(
                List.of(new AgentEndpoint(NODE_NAME, agent.baseUri(), token)))).start();
    }

    public static LocalStack start(Options options) {
        try {
            return new LocalStack(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MockKubernetesApi kubernetes() {
        return kubernetes;
    }

    public InProcessS3 s3() {
        return s3;
    }

    public TestImage sampleImage() {
        return sampleImage;
    }

    public HostAgent agent() {
        return agent;
    }

    public Options options() {
        return options;
    }

    /** Creates (or updates) every object of a multi-document manifest in {@link #NAMESPACE}. */
    public List<HasMetadata> apply(Path manifest) {
        try (InputStream in = Files.newInputStream(manifest)) {
            return kubernetes.client().load(in).items().stream()
                    .map(item -> kubernetes.client().resource(item).inNamespace(NAMESPACE)
                            .createOr(NonDeletingOperation::update))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        operator.close();
        agent.close();
        s3.close();
        kubernetes.close();
    }
}
