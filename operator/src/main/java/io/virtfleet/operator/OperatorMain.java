package io.virtfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.StaticAgentDirectory;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the operator in a cluster (or against any kubeconfig). Agents come from {@code VIRTFLEET_AGENTS}
 * ({@code node=https://host:port,...}) with the shared token in {@code VIRTFLEET_AGENT_TOKEN}.
 */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String token = required("VIRTFLEET_AGENT_TOKEN");
        List<AgentEndpoint> endpoints = parseAgents(required("VIRTFLEET_AGENTS"), token);
        var client = new KubernetesClientBuilder().build();
        var operator = new VirtFleetOperator(client, new StaticAgentDirectory(endpoints)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
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

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return value;
    }
}
