package io.virtfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import io.virtfleet.operator.agent.PodAgentDirectory;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import io.virtfleet.operator.discovery.CombinedAgentDirectory;
import io.virtfleet.operator.console.ConsoleGateway;
import io.virtfleet.operator.console.FrontProxyTrust;
import io.virtfleet.operator.console.GatewaySettings;
import io.virtfleet.agent.contract.tls.TlsFiles;
import io.virtfleet.operator.scheduling.KubernetesNodeLabels;
import java.nio.file.Path;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the operator in a cluster (or against any kubeconfig). Agents are the DaemonSet's pods selected by
 * {@code VIRTFLEET_AGENT_SELECTOR} (labels {@code k=v,...}) in {@code VIRTFLEET_AGENT_NAMESPACE} on
 * {@code VIRTFLEET_AGENT_PORT} (9440), and a static list in {@code VIRTFLEET_AGENTS} ({@code node=https://host:port,...})
 * for hypervisors outside the cluster, combined when both are set; called over mutual TLS
 * ({@link AgentTransport#fromEnvironment}), with an optional extra token {@code VIRTFLEET_AGENT_TOKEN}. Leader election on a Lease
 * ({@code VIRTFLEET_LEADER_ELECTION_LEASE}, default virtfleet-operator) in {@code POD_NAMESPACE} is on unless
 * {@code VIRTFLEET_LEADER_ELECTION=false}; metrics on {@code VIRTFLEET_METRICS_PORT} (8080), {@code /healthz} and
 * {@code /readyz} on {@code VIRTFLEET_HEALTH_PORT} (8081); a settled object is compared with its node every
 * {@code VIRTFLEET_RECHECK_SETTLED_SECONDS} (1800); the annotation {@code virtfleet.io/release-finalizer} releases a
 * deleted object once its node has been unreachable for {@code VIRTFLEET_RELEASE_GRACE_SECONDS} (600).
 */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String token = env("VIRTFLEET_AGENT_TOKEN").orElse(null);
        KubernetesClient client = new KubernetesClientBuilder().build();
        PrometheusMeterRegistry metrics = VirtFleetOperator.newRegistry();
        AgentClients clients = new AgentClients(metrics, AgentTransport.fromEnvironment(System::getenv));
        Optional<AgentDirectory> statics = env("VIRTFLEET_AGENTS")
                .map(list -> new StaticAgentDirectory(parseAgents(list, token), clients));
        Optional<AgentDirectory> pods = env("VIRTFLEET_AGENT_SELECTOR")
                .map(selector -> new PodAgentDirectory(client,
                        env("VIRTFLEET_AGENT_NAMESPACE").orElse(client.getNamespace()), parseLabels(selector),
                        Integer.parseInt(env("VIRTFLEET_AGENT_PORT").orElse("9440")), token, clients));
        AgentDirectory agents = combine(statics, pods);
        OperatorSettings settings = OperatorSettings.defaults()
                .withEndpoints(Integer.parseInt(env("VIRTFLEET_METRICS_PORT").orElse("8080")),
                        Integer.parseInt(env("VIRTFLEET_HEALTH_PORT").orElse("8081")));
        settings = settings.withRecheckWhenSettled(env("VIRTFLEET_RECHECK_SETTLED_SECONDS")
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(settings.recheckWhenSettled()));
        settings = settings.withReleaseGrace(env("VIRTFLEET_RELEASE_GRACE_SECONDS")
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(settings.releaseGrace()));
        if (!"false".equalsIgnoreCase(env("VIRTFLEET_LEADER_ELECTION").orElse("true"))) {
            settings = settings.withLeaderElection(env("POD_NAMESPACE").orElse(client.getNamespace()),
                    env("VIRTFLEET_LEADER_ELECTION_LEASE").orElse(OperatorSettings.DEFAULT_LEASE_NAME));
        }
        KubernetesNodeLabels labels = new KubernetesNodeLabels(client);
        var operator = new VirtFleetOperator(client, agents, labels, settings, metrics).start();
        ConsoleGateway consoles = startConsoleGateway(client, agents);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (consoles != null) {
                consoles.close();
            }
            operator.close();
            labels.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * The console gateway when {@code VIRTFLEET_CONSOLE_TLS_DIR} holds its serving certificate ({@code tls.crt},
     * {@code tls.key}, {@code ca.crt}), on {@code VIRTFLEET_CONSOLE_PORT} (8443). With
     * {@code VIRTFLEET_CONSOLE_FRONT_PROXY=true} (the chart's APIService) it also accepts the kube-apiserver's
     * front-proxy certificates ({@link FrontProxyTrust}); bearer tokens (TokenReview) work either way.
     */
    static ConsoleGateway startConsoleGateway(KubernetesClient client, AgentDirectory agents) {
        Optional<String> tlsDir = env("VIRTFLEET_CONSOLE_TLS_DIR");
        if (tlsDir.isEmpty()) {
            return null;
        }
        boolean frontProxy = Boolean.parseBoolean(env("VIRTFLEET_CONSOLE_FRONT_PROXY").orElse("false"));
        Path serving = Path.of(tlsDir.get());
        try {
            TlsFiles tls = frontProxy
                    ? FrontProxyTrust.tlsFiles(client, serving, Path.of(env("VIRTFLEET_WORK_DIR").orElse("/tmp")))
                    : TlsFiles.inDirectory(serving, "no-client-certificates");
            return ConsoleGateway.start(new GatewaySettings(Integer.parseInt(env("VIRTFLEET_CONSOLE_PORT").orElse("8443")),
                    tls, frontProxy, GatewaySettings.DEFAULT_IDLE, GatewaySettings.DEFAULT_MAX), client, agents);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set up the console gateway's TLS", e);
        }
    }

    /**
     * The static list and the DaemonSet's pods together (chart values {@code operator.staticAgents} beside agent
     * discovery); the static entry wins for a node both name. At least one must be configured.
     */
    static AgentDirectory combine(Optional<AgentDirectory> statics, Optional<AgentDirectory> pods) {
        if (statics.isEmpty() && pods.isEmpty()) {
            throw new IllegalStateException("no agents configured: set VIRTFLEET_AGENT_SELECTOR (DaemonSet pods), "
                    + "VIRTFLEET_AGENTS (node=url,...) or both");
        }
        if (statics.isPresent() && pods.isPresent()) {
            return new CombinedAgentDirectory(List.of(statics.get(), pods.get()));
        }
        return statics.orElseGet(pods::get);
    }

    static List<AgentEndpoint> parseAgents(String spec, String token) {
        return Arrays.stream(spec.split(","))
                .map(String::strip)
                .filter(entry -> !entry.isEmpty())
                .map(entry -> {
                    int eq = entry.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("VIRTFLEET_AGENTS entry '" + entry + "' is not node=url");
                    }
                    return new AgentEndpoint(entry.substring(0, eq), URI.create(entry.substring(eq + 1)), token);
                })
                .toList();
    }

    static Map<String, String> parseLabels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("VIRTFLEET_AGENT_SELECTOR entry '" + pair + "' is not key=value");
            }
            labels.put(kv[0].strip(), kv[1].strip());
        }
        return labels;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    private static String required(String name) {
        return env(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is required"));
    }
}
