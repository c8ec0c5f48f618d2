package io.virtfleet.agent;

import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.agent.provision.ProvisionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the agent needs to run. Built from {@code VIRTFLEET_AGENT_*} environment variables by {@link #main
 * HostAgent.main}, or with {@link #builder(String)} by tests and the local stack that run the agent in-process.
 *
 * @param nodeName        name of this host as the operator knows it (logged, reported)
 * @param bindAddress     address the HTTP server listens on
 * @param port            TCP port; 0 picks a free one
 * @param token           optional bearer token every API call but the probes must present besides the client
 *                        certificate (null: none; the chart sets none — the operator's certificate is the credential)
 * @param libvirtUri      libvirt connection URI (storage pools and volumes; also domains unless the next is set)
 * @param domainLibvirtUri libvirt connection for domains and the host's CPUs and memory; null: {@code libvirtUri}.
 *                        Benchmarks point it at libvirt's test driver to simulate many hypervisors on one machine
 * @param defaultPool     storage pool for volume requests that name none
 * @param poolPath        when set and the default pool is missing, a {@code dir} pool is created at this path
 * @param cacheDir        image cache root ({@code <cacheDir>/sha256/<hex>})
 * @param stateDir        agent state root (volume markers under {@code <stateDir>/volumes})
 * @param domainType      libvirt domain type, or AUTO to choose from the host's capabilities
 * @param s3              object store for {@code s3://} image URLs; null when none is configured
 * @param shutdownTimeout how long a graceful guest shutdown may take before the domain is destroyed
 * @param workerThreads   how many volume populations run at once
 * @param cache           image cache tunables: budget, concurrency, verification, allowed sources
 * @param allowed         kernel boot directories, bridges and extra pools requests may name (empty: none)
 * @param tls             the API listener's certificate, key, client CA and the operator's certificate name; null
 *                        only with {@code insecurePlainHttp}
 * @param insecurePlainHttp development only: serve the API over plain HTTP without client certificates
 * @param probePort       plain-HTTP listener serving only {@code /healthz}, {@code /readyz} and {@code /metrics}
 *                        (kubelet probes and Prometheus); 0 picks a free port, -1 none
 * @param libvirtLivenessGrace how long libvirtd may stay unreachable (the agent reconnecting) before
 *                        {@code /healthz} fails so that Kubernetes restarts the agent
 * @param provision       the standalone {@code POST /api/v1/provision} call: off, or on with its image prefixes
 */
public record AgentConfig(String nodeName, String bindAddress, int port, String token, String libvirtUri,
                          String defaultPool, Path poolPath, Path cacheDir, Path stateDir,
                          DomainTypeSetting domainType, S3Settings s3, Duration shutdownTimeout, int workerThreads,
                          String domainLibvirtUri, CacheSettings cache, HostAllowLists allowed,
                          TlsFiles tls, boolean insecurePlainHttp, int probePort, Duration libvirtLivenessGrace,
                          ProvisionSettings provision) {
    public static final String ENV_PREFIX = "VIRTFLEET_AGENT_";
    public static final int DEFAULT_PORT = 9440;
    public static final int DEFAULT_PROBE_PORT = 9441;
    public static final String DEFAULT_LIBVIRT_URI = "qemu:///system";
    public static final String DEFAULT_POOL = "virtfleet";
    /** Long enough for a libvirtd restart (seconds), short enough that a stuck agent is restarted. */
    public static final Duration DEFAULT_LIBVIRT_LIVENESS_GRACE = Duration.ofSeconds(60);

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the API token, when set, must not be blank (" + ENV_PREFIX + "TOKEN)");
        }
        if (tls == null && !insecurePlainHttp) {
            throw new IllegalArgumentException("the API serves only mutual TLS: set " + ENV_PREFIX + "TLS_DIR (tls.crt,"
                    + " tls.key, ca.crt) and " + ENV_PREFIX + "TLS_CLIENT_NAME, or, for development only, "
                    + ENV_PREFIX + "INSECURE_PLAIN_HTTP=true");
        }
        if (tls != null && insecurePlainHttp) {
            throw new IllegalArgumentException(ENV_PREFIX + "INSECURE_PLAIN_HTTP and " + ENV_PREFIX
                    + "TLS_DIR exclude each other");
        }
        if (probePort < -1 || probePort > 65535) {
            throw new IllegalArgumentException("probe port out of range: " + probePort);
        }
        Objects.requireNonNull(libvirtUri, "libvirtUri");
        Objects.requireNonNull(defaultPool, "defaultPool");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(domainType, "domainType");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(libvirtLivenessGrace, "libvirtLivenessGrace");
        Objects.requireNonNull(provision, "provision");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1: " + workerThreads);
        }
    }

    /** The connection domains live on: {@link #domainLibvirtUri} when set, else {@link #libvirtUri}. */
    public String hypervisorUri() {
        return domainLibvirtUri != null ? domainLibvirtUri : libvirtUri;
    }

    /** The same configuration on another port (a restarted agent keeps the port it was first given). */
    public AgentConfig withPort(int newPort) {
        return new AgentConfig(nodeName, bindAddress, newPort, token, libvirtUri, defaultPool, poolPath, cacheDir,
                stateDir, domainType, s3, shutdownTimeout, workerThreads, domainLibvirtUri, cache, allowed, tls,
                insecurePlainHttp, probePort, libvirtLivenessGrace, provision);
    }

    /** {@code https} for the mutual-TLS API, {@code http} only with {@link #insecurePlainHttp}. */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    public static Builder builder(String token) {
        return new Builder(token);
    }

    public static AgentConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads {@code VIRTFLEET_AGENT_*} variables from {@code env}; see the README for the full list. */
    public static AgentConfig fromEnvironment(Map<String, String> env) {
        EnvReader vars = new EnvReader(env);
        Builder builder = builder(vars.get("TOKEN").orElse(null))
                .nodeName(vars.get("NODE_NAME").orElseGet(AgentConfig::localHostname))
                .bindAddress(vars.get("BIND").orElse("0.0.0.0"))
                .port(vars.get("PORT").map(Integer::parseInt).orElse(DEFAULT_PORT))
                .libvirtUri(vars.get("LIBVIRT_URI").orElse(DEFAULT_LIBVIRT_URI))
                .domainLibvirtUri(vars.get("DOMAIN_LIBVIRT_URI").orElse(null))
                .defaultPool(vars.get("POOL").orElse(DEFAULT_POOL))
                .poolPath(vars.get("POOL_PATH").map(Path::of).orElse(null))
                .cacheDir(Path.of(vars.get("CACHE_DIR").orElse("/var/lib/virtfleet/cache")))
                .stateDir(Path.of(vars.get("STATE_DIR").orElse("/var/lib/virtfleet/state")))
                .domainType(vars.get("DOMAIN_TYPE").map(DomainTypeSetting::parse).orElse(DomainTypeSetting.AUTO))
                .shutdownTimeout(Duration.ofSeconds(vars.get("SHUTDOWN_TIMEOUT_SECONDS").map(Long::parseLong).orElse(60L)))
                .workerThreads(vars.get("WORKER_THREADS").map(Integer::parseInt).orElse(4))
                .cache(CacheSettings.fromEnvironment(vars::get))
                .allowed(HostAllowLists.fromEnvironment(vars::get))
                .provision(ProvisionSettings.fromEnvironment(vars::get))
                .probePort(vars.get("PROBE_PORT").map(Integer::parseInt).orElse(DEFAULT_PROBE_PORT))
                .libvirtLivenessGrace(Duration.ofSeconds(vars.get("LIBVIRT_LIVENESS_GRACE_SECONDS")
                        .map(Long::parseLong).orElse(DEFAULT_LIBVIRT_LIVENESS_GRACE.toSeconds())));
        vars.get("TLS_DIR").ifPresent(dir -> builder.tls(TlsFiles.inDirectory(Path.of(dir),
                vars.get("TLS_CLIENT_NAME").orElseThrow(() -> new IllegalArgumentException(
                        ENV_PREFIX + "TLS_CLIENT_NAME (the operator's certificate name) must be set with TLS_DIR")))));
        if (vars.get("INSECURE_PLAIN_HTTP").map(Boolean::parseBoolean).orElse(false)) {
            builder.insecurePlainHttp();
        }
        vars.get("S3_ENDPOINT").ifPresent(endpoint -> builder.s3(new S3Settings(URI.create(endpoint),
                vars.get("S3_REGION").orElse("us-east-1"), vars.get("S3_ACCESS_KEY").orElse(null),
                vars.get("S3_SECRET_KEY").orElse(null))));
        return builder.build();
    }

    /** Never shows the token or the S3 secret key: configs get logged. */
    @Override
    public String toString() {
        return "AgentConfig[nodeName=" + nodeName + ", bind=" + bindAddress + ":" + port + ", token=" + mask(token)
                + ", libvirtUri=" + libvirtUri + ", domainLibvirtUri=" + domainLibvirtUri
                + ", defaultPool=" + defaultPool + ", poolPath=" + poolPath
                + ", cacheDir=" + cacheDir + ", stateDir=" + stateDir + ", domainType=" + domainType + ", s3=" + s3
                + ", shutdownTimeout=" + shutdownTimeout + ", workerThreads=" + workerThreads + ", cache=" + cache + ", allowed=" + allowed
                + ", tls=" + (tls != null ? tls : insecurePlainHttp ? "INSECURE-PLAIN-HTTP" : "none")
                + ", probePort=" + probePort + ", libvirtLivenessGrace=" + libvirtLivenessGrace
                + ", provision=" + provision + "]";
    }

    private static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost"; // only a label in logs; the operator addresses the agent by its own records
        }
    }

    static String mask(String secret) {
        return secret == null ? "null" : "****";
    }

    private record EnvReader(Map<String, String> env) {
        Optional<String> get(String name) {
            return Optional.ofNullable(env.get(ENV_PREFIX + name)).map(String::trim).filter(v -> !v.isEmpty());
        }

        String required(String name) {
            return get(name).orElseThrow(() -> new IllegalArgumentException(ENV_PREFIX + name + " must be set"));
        }
    }

    /** Fluent construction with the same defaults as {@link #fromEnvironment}, except port 0 (any free port). */
    public static final class Builder {
        private final String token;
        private String nodeName = "localhost";
        private String bindAddress = "127.0.0.1";
        private int port;
        private String libvirtUri = DEFAULT_LIBVIRT_URI;
        private String defaultPool = DEFAULT_POOL;
        private Path poolPath;
        private Path cacheDir;
        private Path stateDir;
        private DomainTypeSetting domainType = DomainTypeSetting.AUTO;
        private S3Settings s3;
        private Duration shutdownTimeout = Duration.ofSeconds(60);
        private int workerThreads = 4;
        private String domainLibvirtUri;
        private CacheSettings cache = CacheSettings.DEFAULTS;
        private HostAllowLists allowed = HostAllowLists.NONE;
        private TlsFiles tls;
        private boolean insecurePlainHttp;
        private int probePort = -1;
        private Duration libvirtLivenessGrace = DEFAULT_LIBVIRT_LIVENESS_GRACE;
        private ProvisionSettings provision = ProvisionSettings.DISABLED;

        private Builder(String token) {
            this.token = token;
        }

        public Builder nodeName(String value) { nodeName = value; return this; }
        public Builder bindAddress(String value) { bindAddress = value; return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder libvirtUri(String value) { libvirtUri = value; return this; }
        public Builder defaultPool(String value) { defaultPool = value; return this; }
        public Builder poolPath(Path value) { poolPath = value; return this; }
        public Builder cacheDir(Path value) { cacheDir = value; return this; }
        public Builder stateDir(Path value) { stateDir = value; return this; }
        public Builder domainType(DomainTypeSetting value) { domainType = value; return this; }
        public Builder s3(S3Settings value) { s3 = value; return this; }
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = value; return this; }
        public Builder workerThreads(int value) { workerThreads = value; return this; }
        public Builder domainLibvirtUri(String value) { domainLibvirtUri = value; return this; }
        public Builder cache(CacheSettings value) { cache = value; return this; }
        public Builder allowed(HostAllowLists value) { allowed = value; return this; }
        /** The API over mutual TLS with these files (also after {@link #insecurePlainHttp()}: the last one counts). */
        public Builder tls(TlsFiles value) { tls = value; insecurePlainHttp = false; return this; }
        /** Development and in-process stacks only: the API over plain HTTP, no client certificates. */
        public Builder insecurePlainHttp() { insecurePlainHttp = true; return this; }
        public Builder probePort(int value) { probePort = value; return this; }
        public Builder libvirtLivenessGrace(Duration value) { libvirtLivenessGrace = value; return this; }
        public Builder provision(ProvisionSettings value) { provision = value; return this; }

        /** Adds directories whose files {@code kernelBoot} may name. */
        public Builder kernelBootDirs(Path... dirs) {
            allowed = new HostAllowLists(concat(allowed.kernelBootDirs(), dirs), allowed.bridges(), allowed.pools(),
                    allowed.networks(), allowed.forwardModes(), allowed.firewallOptOut(), allowed.hostDevices());
            return this;
        }

        /** Adds bridges NICs may use ({@code prefix*} for every bridge with that prefix). */
        public Builder allowedBridges(String... bridges) {
            allowed = new HostAllowLists(allowed.kernelBootDirs(), concat(allowed.bridges(), bridges), allowed.pools(),
                    allowed.networks(), allowed.forwardModes(), allowed.firewallOptOut(), allowed.hostDevices());
            return this;
        }

        /** Adds networks (and their forward modes) this agent may realise and NICs may join. */
        public Builder allowedNetworks(java.util.Set<io.virtfleet.agent.contract.NetworkRequest.ForwardMode> modes,
                                       String... networks) {
            allowed = allowed.withNetworks(java.util.List.of(networks), modes, false);
            return this;
        }

        /** Lets NICs turn anti-spoofing off. */
        public Builder allowFirewallOptOut() {
            allowed = allowed.withNetworks(java.util.List.of(), java.util.Set.of(), true);
            return this;
        }

        /** Adds host device models ({@code resourceName=vendor:device}) that may be passed through. */
        public Builder allowedHostDevices(String... entries) {
            allowed = allowed.withHostDevices(java.util.Arrays.stream(entries)
                    .map(io.virtfleet.agent.device.AllowedHostDevice::parse).toList());
            return this;
        }

        /** Adds pools volume requests may name besides the default pool. */
        public Builder allowedPools(String... pools) {
            allowed = new HostAllowLists(allowed.kernelBootDirs(), allowed.bridges(), concat(allowed.pools(), pools),
                    allowed.networks(), allowed.forwardModes(), allowed.firewallOptOut(), allowed.hostDevices());
            return this;
        }

        @SafeVarargs
        private static <T> java.util.List<T> concat(java.util.List<T> list, T... more) {
            java.util.List<T> all = new java.util.ArrayList<>(list);
            all.addAll(java.util.List.of(more));
            return all;
        }

        public AgentConfig build() {
            return new AgentConfig(nodeName, bindAddress, port, token, libvirtUri, defaultPool, poolPath, cacheDir,
                    stateDir, domainType, s3, shutdownTimeout, workerThreads, domainLibvirtUri, cache, allowed, tls,
                    insecurePlainHttp, probePort, libvirtLivenessGrace, provision);
        }
    }
}
