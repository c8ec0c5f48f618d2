package io.virtfleet.helm.chart;

import static io.virtfleet.helm.chart.PodSpecs.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentConfig;
import io.virtfleet.agent.HostAgent;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's TLS as rendered, used for real: the default render's two Secrets written to disk where the pods would
 * mount them, the real agent started from the DaemonSet's environment and the operator's agent client from the
 * Deployment's, over a real socket. Only what a pod gets from the node is replaced: paths under a temporary
 * directory, ports chosen freely, libvirt's test driver instead of the host's libvirtd.
 */
class ChartTlsHandshakeTest {
    private static final RenderedManifests RENDERED = ChartRender.defaults();

    @TempDir
    Path dir;

    @Test
    void theRenderedAgentAndOperatorTalkMutualTlsWithTheRenderedCertificates() throws Exception {
        Container agentContainer = container(RENDERED.one(DaemonSet.class, "vf-virtfleet-agent")
                .getSpec().getTemplate().getSpec(), "agent");
        Container operatorContainer = container(RENDERED.one(Deployment.class, "vf-virtfleet-operator")
                .getSpec().getTemplate().getSpec(), "operator");
        Map<String, String> agentEnv = values(agentContainer);
        Map<String, String> operatorEnv = values(operatorContainer);
        Path agentTls = writeSecret("vf-virtfleet-agent-tls", mountPath(agentContainer, "tls"));
        Path operatorTls = writeSecret("vf-virtfleet-operator-tls", mountPath(operatorContainer, "agent-tls"));
        assertThat(agentEnv.get("VIRTFLEET_AGENT_TLS_DIR")).isEqualTo(mountPath(agentContainer, "tls"));
        assertThat(operatorEnv.get("VIRTFLEET_AGENT_TLS_DIR")).isEqualTo(mountPath(operatorContainer, "agent-tls"));

        agentEnv.put("VIRTFLEET_AGENT_TLS_DIR", agentTls.toString());
        agentEnv.putAll(Map.of("VIRTFLEET_AGENT_BIND", "127.0.0.1", "VIRTFLEET_AGENT_PORT", "0",
                "VIRTFLEET_AGENT_PROBE_PORT", "0", "VIRTFLEET_AGENT_NODE_NAME", "hv1",
                "VIRTFLEET_AGENT_LIBVIRT_URI", "test:///default", "VIRTFLEET_AGENT_POOL", "default-pool",
                "VIRTFLEET_AGENT_DOMAIN_TYPE", "qemu",
                "VIRTFLEET_AGENT_CACHE_DIR", dir.resolve("cache").toString(),
                "VIRTFLEET_AGENT_STATE_DIR", dir.resolve("state").toString()));
        operatorEnv.put("VIRTFLEET_AGENT_TLS_DIR", operatorTls.toString());

        try (HostAgent agent = HostAgent.start(AgentConfig.fromEnvironment(agentEnv))) {
            assertThat(agent.baseUri().getScheme()).isEqualTo("https");
            AgentClients clients = new AgentClients(new SimpleMeterRegistry(),
                    AgentTransport.fromEnvironment(operatorEnv::get));
            AgentClient client = clients.client(new AgentEndpoint("hv1", agent.baseUri(), null));

            assertThat(client.healthy(Duration.ofSeconds(10))).isTrue();
            HostCapacity host = client.host();
            assertThat(host.nodeName()).isEqualTo("hv1");

            // The same port refuses a caller without the operator's certificate, and plain HTTP.
            URI probeUri = agent.probeUri().orElseThrow();
            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + agent.port() + "/api/v1/host")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            // The probes port is plain and read-only, as the kubelet and Prometheus use it.
            assertThat(plain.send(HttpRequest.newBuilder(probeUri.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
            assertThat(plain.send(HttpRequest.newBuilder(probeUri.resolve("/api/v1/host")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    /** The Secret's keys as files in a directory named after the pod's mount path. */
    private Path writeSecret(String name, String mountPath) throws IOException {
        Secret secret = RENDERED.one(Secret.class, name);
        Path target = Files.createDirectories(dir.resolve(mountPath.substring(1)));
        for (var entry : secret.getData().entrySet()) {
            Files.write(target.resolve(entry.getKey()), Base64.getDecoder().decode(entry.getValue()));
        }
        return target;
    }

    private static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst().orElseThrow()
                .getMountPath();
    }

    /** The literal env values of a container (those from Secrets or fields are the pod's, not the chart's). */
    private static Map<String, String> values(Container container) {
        Map<String, String> values = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                values.put(var.getName(), var.getValue());
            }
        }
        return values;
    }
}
