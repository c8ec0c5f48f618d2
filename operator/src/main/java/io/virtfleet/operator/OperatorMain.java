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
import io.virtfleet.operator.scheduling.KubernetesNodeLabels;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the operator in a cluster (or against any kubeconfig). Agents are the DaemonSet's pods selected by
 * {@code VIRTFLEET_AGENT_SELECTOR} (labels {@code k=v,...}) in {@code VIRTFLEET_AGENT_NAMESPACE} on
 * {@code VIRTFLEET_AGENT_PORT} (9440), or a static list in {@code VIRTFLEET_AGENTS} ({@code node=https://host:port,...})
 * for hypervisors outside the cluster; called over mutual TLS ({@link AgentTransport#fromEnvironment}), with an optional
 * extra token {@code VIRTFLEET_AGENT_TOKEN}. Leader election on a Lease
 * ({@code VIRTFLEET_LEADER_ELECTION_LEASE}, default virtfleet-operator) in {@code POD_NAMESPACE} is on unless
 * {@code VIRTFLEET_LEADER_ELECTION=false}; metrics on {@code VIRTFLEET_METRICS_PORT} (8080), {@code /healthz} and
 * {@code /readyz} on {@code VIRTFLEET_HEALTH_PORT} (8081).
 */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String token = env("VIRTFLEET_AGENT_TOKEN").orElse(null);
        KubernetesClient client = new KubernetesClientBuilder().build();
        PrometheusMeterRegistry metrics = VirtFleetOperator.newRegistry();
        AgentClients clients = new AgentClients(metrics, AgentTransport.fromEnvironment(System::getenv));
        AgentDirectory agents = env("VIRTFLEET_AGENTS")
                .<AgentDirectory>map(list -> new StaticAgentDirectory(parseAgents(list, token), clients))
                .orElseGet(() -> new PodAgentDirectory(client,
                        env("VIRTFLEET_AGENT_NAMESPACE").orElse(client.getNamespace()),
                        parseLabels(required("VIRTFLEET_AGENT_SELECTOR")),
                        Integer.parseInt(env("VIRTFLEET_AGENT_PORT").orElse("9440")), token, clients));
        OperatorSettings settings = OperatorSettings.defaults()
                .withEndpoints(Integer.parseInt(env("VIRTFLEET_METRICS_PORT").orElse("8080")),
                        Integer.parseInt(env("VIRTFLEET_HEALTH_PORT").orElse("8081")));
        if (!"false".equalsIgnoreCase(env("VIRTFLEET_LEADER_ELECTION").orElse("true"))) {
            settings = settings.withLeaderElection(env("POD_NAMESPACE").orElse(client.getNamespace()),
                    env("VIRTFLEET_LEADER_ELECTION_LEASE").orElse(OperatorSettings.DEFAULT_LEASE_NAME));
        }
        KubernetesNodeLabels labels = new KubernetesNodeLabels(client);
        var operator = new VirtFleetOperator(client, agents, labels, settings, metrics).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            labels.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
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
