package io.virtfleet.bench;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.virtfleet.agent.AgentConfig;
import io.virtfleet.agent.DomainTypeSetting;
import io.virtfleet.agent.HostAgent;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.stack.LibvirtPools;
import io.virtfleet.stack.LocalStack;
import io.virtfleet.stack.SimulatedHypervisor;
import io.virtfleet.stack.PlatformPolicies;
import io.virtfleet.stack.MockKubernetesApi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything P5 runs besides the operator, in the benchmark's JVM: the mock Kubernetes API (stand-in) with one Node
 * per agent, an in-process S3 server (stand-in) holding the stack's sample image, and real host agents over real
 * HTTP. Each agent keeps its volumes in its own {@code dir} pool on the real libvirtd (real {@code qemu-img}
 * populations) and its domains on a {@link SimulatedHypervisor}. Closing removes the pools and their volumes.
 */
final class ScaleFleet implements AutoCloseable {
    static final String NAMESPACE = LocalStack.NAMESPACE;

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final Map<String, URI> agents = new LinkedHashMap<>();
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private MockKubernetesApi kubernetes;

    private ScaleFleet() {
    }

    static ScaleFleet start(Path work, int nodes, SimulatedHypervisor hypervisor) {
        ScaleFleet fleet = new ScaleFleet();
        try {
            fleet.startParts(work, nodes, hypervisor);
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void startParts(Path work, int nodes, SimulatedHypervisor hypervisor) {
        kubernetes = started(MockKubernetesApi.start());
        kubernetes.client().resource(PlatformPolicies.sampleImages()).create();
        InProcessS3 s3 = started(InProcessS3.start(work.resolve("s3")));
        TestImage image = TestImages.create(work.resolve("images"), "quickstart");
        s3.createBucket(LocalStack.IMAGE_BUCKET);
        s3.putObject(LocalStack.IMAGE_BUCKET, LocalStack.SAMPLE_IMAGE_KEY, image.path());
        s3.putObject(LocalStack.IMAGE_BUCKET, LocalStack.SAMPLE_IMAGE_KEY + ".sha256",
                image.sha256Sidecar().getBytes(StandardCharsets.UTF_8));
        String poolPrefix = "vf-scale-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < nodes; i++) {
            String node = String.format("hv-%02d", i);
            Path dir = work.resolve("nodes").resolve(node);
            String pool = poolPrefix + "-" + node;
            parts.push(() -> LibvirtPools.remove(pool)); // before the agent creates it: removed even if start fails
            kubernetes.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                    .build()).create();
            HostAgent agent = started(HostAgent.start(AgentConfig.builder(token).insecurePlainHttp()
                    .nodeName(node)
                    .bindAddress("127.0.0.1")
                    .libvirtUri("qemu:///system")
                    .domainLibvirtUri(hypervisor.writeNodeFile(dir.resolve("hypervisor.xml")))
                    .domainType(DomainTypeSetting.QEMU)
                    .defaultPool(pool)
                    .poolPath(dir.resolve("pool"))
                    .cacheDir(dir.resolve("cache"))
                    .stateDir(dir.resolve("state"))
                    .s3(new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey()))
                    .cache(CacheSettings.DEFAULTS.withS3PlatformPrefixes(List.of(LocalStack.IMAGE_BUCKET + "/")))
                    .build()));
            agents.put(node, agent.baseUri());
        }
    }

    private <T extends AutoCloseable> T started(T part) {
        parts.push(part);
        return part;
    }

    MockKubernetesApi kubernetes() {
        return kubernetes;
    }

    /** Node name → agent base URI, in node order. */
    Map<String, URI> agents() {
        return Map.copyOf(agents);
    }

    String agentToken() {
        return token;
    }

    /** The operator's static agent list: {@code node=url,...} (its VIRTFLEET_AGENTS). */
    String agentList() {
        StringBuilder list = new StringBuilder();
        agents.forEach((node, uri) -> list.append(list.isEmpty() ? "" : ",").append(node).append('=').append(uri));
        return list.toString();
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("scale: cleanup step failed: " + e);
            }
        }
    }
}
