package io.virtfleet.agent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.api.AgentHttpServer;
import io.virtfleet.agent.api.HostRoutes;
import io.virtfleet.agent.api.Liveness;
import io.virtfleet.agent.api.ProbeServer;
import io.virtfleet.agent.api.Readiness;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.device.HostDeviceInventory;
import io.virtfleet.agent.device.LibvirtNodeDevices;
import io.virtfleet.agent.domain.DomainHostPolicy;
import io.virtfleet.agent.domain.DomainService;
import io.virtfleet.agent.network.NetworkService;
import io.virtfleet.agent.domain.HostCapabilities;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.storage.StoragePools;
import io.virtfleet.agent.provision.ProvisionService;
import io.virtfleet.agent.storage.VolumeService;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-host agent: image cache, volumes, domains, HTTP API. {@link #start} wires and starts everything; {@link
 * #close} stops it in reverse order. {@link #main} runs it from {@code VIRTFLEET_AGENT_*} environment variables.
 */
public final class HostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final AgentConfig config;
    private final AgentHttpServer server;
    private final ProbeServer probes;
    /** Everything started, to be closed last-started-first. */
    private final Deque<AutoCloseable> parts;

    private HostAgent(AgentConfig config, AgentHttpServer server, ProbeServer probes, Deque<AutoCloseable> parts) {
        this.config = config;
        this.server = server;
        this.probes = probes;
        this.parts = parts;
    }

    public static HostAgent start(AgentConfig config) {
        LOG.info("host agent starting config={}", config);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            LibvirtConnection storage = started(parts, LibvirtConnection.open(config.libvirtUri()));
            // One connection serves both unless domains live elsewhere (a benchmark's simulated hypervisors).
            LibvirtConnection hypervisor = config.hypervisorUri().equals(config.libvirtUri()) ? storage
                    : started(parts, LibvirtConnection.open(config.hypervisorUri()));
            StoragePools pools = new StoragePools(storage);
            if (config.poolPath() != null) {
                pools.ensureDirectoryPool(config.defaultPool(), config.poolPath());
                // A restarted libvirtd may come back with the pool inactive (not autostarted, or transient).
                storage.onReconnect(() -> pools.ensureDirectoryPool(config.defaultPool(), config.poolPath()));
            }
            String domainType = HostCapabilities.domainType(hypervisor, config.domainType());
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ImageCache cache = started(parts, new ImageCache(config.cacheDir(), config.cache(),
                    Optional.ofNullable(config.s3()), metrics));
            VolumeService volumes = started(parts, new VolumeService(hypervisor, pools, cache, config.stateDir(),
                    config.defaultPool(), config.workerThreads(), config.allowed()));
            HostDeviceInventory devices = new HostDeviceInventory(config.allowed().hostDevices(),
                    new LibvirtNodeDevices(hypervisor));
            DomainHostPolicy policy = new DomainHostPolicy(config.allowed(),
                    java.util.Arrays.asList(config.cacheDir(), config.stateDir(), config.poolPath()), pools, devices);
            DomainService domains = started(parts, new DomainService(hypervisor, volumes, pools, config.stateDir(),
                    domainType, config.shutdownTimeout(), policy));
            Readiness readiness = new Readiness(pools, config.defaultPool());
            Liveness liveness = new Liveness(List.of(storage, hypervisor), config.libvirtLivenessGrace());
            AgentHttpServer server = started(parts, AgentHttpServer.start(config.bindAddress(), config.port(),
                    config.tls(), config.token(), volumes, domains, new NetworkService(hypervisor, config.allowed()), cache,
                    metrics,
                    new HostRoutes(config.nodeName(), config.defaultPool(), storage, hypervisor, cache, devices),
                    liveness, readiness, config.provision().enabled()
                            ? new ProvisionService(volumes, config.provision(), config.defaultPool()) : null));
            ProbeServer probes = config.probePort() < 0 ? null
                    : started(parts, ProbeServer.start(config.bindAddress(), config.probePort(), liveness, readiness,
                    metrics));
            if (config.insecurePlainHttp()) {
                LOG.warn("INSECURE: the agent API is served over plain HTTP without client certificates"
                        + " (VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP); development only");
            }
            LOG.info("host agent started node={} port={} scheme={} probePort={} domainType={} pool={}",
                    config.nodeName(), server.port(), config.scheme(), probes == null ? "none" : probes.port(),
                    domainType, config.defaultPool());
            return new HostAgent(config, server, probes, parts);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    public URI baseUri() {
        String host = config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
        return URI.create(config.scheme() + "://" + host + ":" + port());
    }

    /** The plain-HTTP probes and metrics listener ({@code /healthz}, {@code /readyz}, {@code /metrics}), if any. */
    public Optional<URI> probeUri() {
        String host = config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
        return Optional.ofNullable(probes).map(p -> URI.create("http://" + host + ":" + p.port()));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        closeAll(parts);
        LOG.info("host agent stopped node={}", config.nodeName());
    }

    public static void main(String[] args) throws InterruptedException {
        AgentConfig config;
        try {
            config = AgentConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            LOG.error("host agent cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        HostAgent agent = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
    }

    private static <T extends AutoCloseable> T started(Deque<AutoCloseable> parts, T part) {
        parts.push(part);
        return part;
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed error={}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
