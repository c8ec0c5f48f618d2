package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.AgentConfig;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.DomainTypeSetting;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestCertificates;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.VirtFleetOperator;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import io.virtfleet.operator.console.ConsoleGateway;
import io.virtfleet.operator.console.GatewaySettings;
import io.virtfleet.operator.scheduling.KubernetesNodeLabels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system in one JVM: a mock Kubernetes API (stand-in), an in-process S3 server (stand-in) holding a sample
 * image, one real host agent per node on the local libvirtd (each with its own pool, cache and state), and the
 * operator, with the platform's TenantPolicy for the sample bucket ({@link PlatformPolicies}). {@code dev/local}
 * runs it with one node; the end-to-end tests drive it with one or several.
 */
public final class LocalStack implements AutoCloseable {
    public static final String NODE_NAME = "local";
    public static final String NAMESPACE = "default";
    /** VirtualNetworks the stack's agents may realise, and the prefix of their bridges' names. */
    public static final String NETWORK_PREFIX = "vftest-";
    public static final String NETWORK_BRIDGE_PREFIX = "vfn";
    public static final String IMAGE_BUCKET = "virtfleet-images";
    public static final String SAMPLE_IMAGE_KEY = "quickstart/quickstart.qcow2";
    /** Under the work directory: where tests put kernels and initrds for direct kernel boot (the agents allow it). */
    public static final String KERNEL_BOOT_DIR = "guest";

    /** The name in the operator's certificate, which the agents accept. */
    public static final String OPERATOR_NAME = "virtfleet-operator";

    private final Options options;
    private final AgentTransport agentTransport;
    private final MockKubernetesApi kubernetes;
    private final InProcessS3 s3;
    private final TestImage sampleImage;
    private final Map<String, LocalNode> nodes = new LinkedHashMap<>();
    private final KubernetesNodeLabels nodeLabels;
    private final PrometheusMeterRegistry metrics = VirtFleetOperator.newRegistry();
    private VirtFleetOperator operator;
    private final ConsoleGateway consoles;
    private final Path consoleCa;

    /**
     * @param workDir    where the stack keeps S3 data, and per node the image cache, agent state and storage pool
     * @param libvirtUri libvirt connection of the agents
     * @param domainType libvirt domain type: {@code qemu} on hosts whose KVM cannot run guests
     * @param poolName   name of the libvirt dir pool (suffixed with the node name when there are several nodes)
     * @param nodeLabels node name → labels of its Kubernetes Node object, in order; one entry per agent
     * @param settings   the operator's settings (tests shorten the health timings)
     * @param simulated  null: domains on {@code libvirtUri}; else each agent's domains on a hypervisor simulated by
     *                   libvirt's test driver (nothing runs; storage stays on {@code libvirtUri})
     */
    public record Options(Path workDir, String libvirtUri, String domainType, String poolName,
                          Map<String, Map<String, String>> nodeLabels, OperatorSettings settings,
                          SimulatedHypervisor simulated) {
        public Options(Path workDir, String libvirtUri, String domainType, String poolName,
                       Map<String, Map<String, String>> nodeLabels, OperatorSettings settings) {
            this(workDir, libvirtUri, domainType, poolName, nodeLabels, settings, null);
        }

        public Options(Path workDir, String libvirtUri, String domainType, String poolName) {
            this(workDir, libvirtUri, domainType, poolName, Map.of(NODE_NAME, Map.of()), OperatorSettings.defaults());
        }

        /** The same stack with every agent's domains on {@code hypervisor}. */
        public Options withSimulatedDomains(SimulatedHypervisor hypervisor) {
            return new Options(workDir, libvirtUri, domainType, poolName, nodeLabels, settings, hypervisor);
        }
    }

    private LocalStack(Options options) throws IOException {
        this.options = options;
        Path work = Files.createDirectories(options.workDir());
        kubernetes = MockKubernetesApi.start();
        kubernetes.client().resource(PlatformPolicies.sampleImages()).create();
        s3 = InProcessS3.start(work.resolve("s3"));
        sampleImage = TestImages.create(work.resolve("images"), "quickstart");
        s3.createBucket(IMAGE_BUCKET);
        putImage(SAMPLE_IMAGE_KEY, sampleImage);
        // Mutual TLS as in a cluster, with a CA made for this run only: one certificate per agent, one for the operator.
        TestCertificates.Ca ca = TestCertificates.newCa("virtfleet-local-stack-ca");
        agentTransport = AgentTransport.mutualTls(TlsFiles.inDirectory(
                ca.issue(OPERATOR_NAME).writeTo(work.resolve("tls").resolve("operator")), AgentTransport.DEFAULT_AGENT_NAME));
        boolean several = options.nodeLabels().size() > 1;
        for (var node : options.nodeLabels().entrySet()) {
            String name = node.getKey();
            Path dir = several ? work.resolve("nodes").resolve(name) : work;
            kubernetes.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .withLabels(node.getValue()).endMetadata().build()).create();
            nodes.put(name, new LocalNode(AgentConfig.builder(null)
                    .tls(TlsFiles.inDirectory(ca.issue(AgentTransport.DEFAULT_AGENT_NAME)
                            .writeTo(dir.resolve("tls").resolve("agent-" + name)), OPERATOR_NAME))
                    .nodeName(name)
                    .bindAddress("127.0.0.1")
                    .libvirtUri(options.libvirtUri())
                    .domainLibvirtUri(options.simulated() == null ? null
                            : options.simulated().writeNodeFile(dir.resolve("hypervisor-" + name + ".xml")))
                    .defaultPool(several ? options.poolName() + "-" + name : options.poolName())
                    .poolPath(dir.resolve("pool"))
                    .cacheDir(dir.resolve("cache"))
                    .stateDir(dir.resolve("state"))
                    .domainType(DomainTypeSetting.parse(options.domainType()))
                    .s3(new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey()))
                    // What tests may name on the host: their boot files and their bridges (TestBridge).
                    .kernelBootDirs(work.resolve(KERNEL_BOOT_DIR).toAbsolutePath())
                    .allowedBridges(TestBridge.PREFIX + "*", NETWORK_BRIDGE_PREFIX + "*")
                    // and their isolated networks (VirtualNetwork names starting with "vftest-")
                    .allowedNetworks(java.util.Set.of(NetworkRequest.ForwardMode.ISOLATED), NETWORK_PREFIX + "*")
                    // and the simulated host's PCI devices (none on a real host here: no IOMMU)
                    .allowedHostDevices(options.simulated() == null ? new String[0]
                            : options.simulated().allowedHostDevices().toArray(String[]::new))
                    // requests without credentials may use the platform keys for the sample bucket only
                    .cache(CacheSettings.DEFAULTS.withS3PlatformPrefixes(List.of(IMAGE_BUCKET + "/")))
                    // The sample guest has no ACPI handler: a graceful stop always ends in destroy; keep it short.
                    .shutdownTimeout(java.time.Duration.ofSeconds(5))
                    .build()));
        }
        nodeLabels = new KubernetesNodeLabels(kubernetes.client());
        startOperator();
        // The console gateway as the operator process runs it, bearer tokens only: the mock API has no aggregation
        // layer. Its certificate names localhost, signed by this run's CA (written beside it as ca.crt).
        Path gatewayTls = ca.issue(CONSOLE_HOST).writeTo(work.resolve("tls").resolve("console-gateway"));
        consoleCa = gatewayTls.resolve("ca.crt");
        consoles = ConsoleGateway.start(new GatewaySettings(0, TlsFiles.inDirectory(gatewayTls, "no-client-certificates"),
                false, GatewaySettings.DEFAULT_IDLE, GatewaySettings.DEFAULT_MAX), kubernetes.client(), agentDirectory());
    }

    /** The host name in the console gateway's certificate. */
    public static final String CONSOLE_HOST = "localhost";

    /** {@code https://localhost:<port>}: the console gateway (clients trust {@link #consoleCa()}). */
    public java.net.URI consoleGateway() {
        return java.net.URI.create("https://" + CONSOLE_HOST + ":" + consoles.port());
    }

    /** The CA that signed the console gateway's certificate. */
    public Path consoleCa() {
        return consoleCa;
    }

    private StaticAgentDirectory agentDirectory() {
        List<AgentEndpoint> endpoints = nodes.values().stream()
                .map(n -> new AgentEndpoint(n.nodeName(), n.baseUri(), n.config().token())).toList();
        return new StaticAgentDirectory(endpoints, new AgentClients(metrics, agentTransport));
    }

    public static LocalStack start(Options options) {
        try {
            return new LocalStack(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts an image and its {@code .sha256} sidecar into the stack's bucket. */
    public void putImage(String key, TestImage image) {
        s3.putObject(IMAGE_BUCKET, key, image.path());
        s3.putObject(IMAGE_BUCKET, key + ".sha256", image.sha256Sidecar().getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the operator (again): a restart is a new process with nothing but the cluster's state. */
    public synchronized void startOperator() {
        if (operator == null) {
            operator = new VirtFleetOperator(kubernetes.client(), agentDirectory(), nodeLabels, options.settings(),
                    metrics).start();
        }
    }

    public synchronized void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    /** How the stack's operator reaches its agents: mutual TLS with this run's throwaway CA. */
    public AgentTransport agentTransport() {
        return agentTransport;
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

    /** The node of a one-node stack. */
    public LocalNode agent() {
        return nodes.values().iterator().next();
    }

    public LocalNode node(String name) {
        return nodes.get(name);
    }

    public List<LocalNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Agent calls, for counting the operator's work. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
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
        consoles.close();
        stopOperator();
        nodeLabels.close();
        nodes.values().forEach(LocalNode::close);
        s3.close();
        kubernetes.close();
    }
}
