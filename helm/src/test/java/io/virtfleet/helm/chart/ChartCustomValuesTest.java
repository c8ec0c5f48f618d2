package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.virtfleet.helm.chart.PodSpecs.container;
import static io.virtfleet.helm.chart.PodSpecs.env;
import static io.virtfleet.helm.chart.PodSpecs.hasEnv;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart rendered with src/test/resources/values/production.yaml: every optional part switched on. */
@SuppressWarnings("unchecked")
class ChartCustomValuesTest {
    private static final RenderedManifests RENDERED = ChartRender.withValuesFile(Path.of("src/test/resources/values/production.yaml"));
    private static final PodSpec OPERATOR = RENDERED.one(Deployment.class, "virtfleet-operator").getSpec().getTemplate().getSpec();
    private static final PodSpec AGENT = RENDERED.one(DaemonSet.class, "virtfleet-agent").getSpec().getTemplate().getSpec();

    @Test
    void optionalResourcesAreRenderedWhenEnabled() {
        assertThat(RENDERED.one(PodDisruptionBudget.class, "virtfleet-operator").getSpec().getMinAvailable().getIntVal())
                .isEqualTo(1);
        assertThat(RENDERED.generic("ServiceMonitor")).singleElement()
                .satisfies(m -> assertThat(m.getMetadata().getLabels()).containsEntry("release", "prometheus"));
        assertThat(RENDERED.generic("PodMonitor")).hasSize(1);
        assertThat(RENDERED.all(NetworkPolicy.class)).hasSize(2);
        assertThat(RENDERED.objects()).allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsEntry("team", "platform"));
    }

    @Test
    void certManagerIssuesBothCertificatesFromTheGivenIssuerAndNoSecretIsGenerated() {
        assertThat(RENDERED.all(Secret.class)).as("cert-manager writes the Secrets").isEmpty();
        assertThat(RENDERED.generic("Issuer")).as("an issuer was given").isEmpty();
        assertThat(RENDERED.generic("Certificate")).filteredOn(c -> !c.getMetadata().getName().endsWith("console-tls"))
                .hasSize(2).allSatisfy(certificate -> {
            assertThat(certificate.get("spec", "issuerRef", "name").toString()).isEqualTo("platform-ca");
            assertThat(certificate.get("spec", "issuerRef", "kind").toString()).isEqualTo("ClusterIssuer");
            assertThat((java.util.List<Object>) certificate.get("spec", "usages")).contains("server auth", "client auth");
            assertThat(certificate.get("spec", "privateKey", "encoding").toString()).isEqualTo("PKCS8");
        }).extracting(c -> c.get("spec", "secretName") + "=" + c.get("spec", "commonName"))
                .containsExactlyInAnyOrder("virtfleet-agent-tls=virtfleet-agent", "virtfleet-operator-tls=virtfleet-operator");
        assertThat(AGENT.getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("virtfleet-agent-tls");
        assertThat(OPERATOR.getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName())
                .containsExactly("virtfleet-operator-tls", "virtfleet-console-tls");
    }

    @Test
    void agentMetricsAreScrapedFromTheReadOnlyProbesPortWithoutCredentials() {
        GenericKubernetesResource podMonitor = RENDERED.generic("PodMonitor").getFirst();
        assertThat(podMonitor.get("spec", "podMetricsEndpoints", 0, "port").toString()).isEqualTo("probes");
        assertThat(podMonitor.get("spec", "podMetricsEndpoints", 0, "scheme").toString()).isEqualTo("http");
        assertThat((Map<Object, Object>) podMonitor.get("spec", "podMetricsEndpoints", 0)).doesNotContainKeys("authorization",
                "bearerTokenSecret", "tlsConfig");
        NetworkPolicy agents = RENDERED.one(NetworkPolicy.class, "virtfleet-agent");
        assertThat(agents.getSpec().getIngress()).hasSize(2);
        assertThat(agents.getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getPort().getStrVal())
                .containsExactly("api");
        assertThat(agents.getSpec().getIngress().get(0).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/component", "operator"));
        assertThat(agents.getSpec().getIngress().get(1).getPorts()).extracting(p -> p.getPort().getStrVal())
                .containsExactly("probes");
        assertThat(agents.getSpec().getIngress().get(1).getFrom()).as("the monitoring namespace").isNotEmpty();
    }

    @Test
    void operatorGetsHaReplicasLeaseNameAndStaticAgents() {
        Container operator = container(OPERATOR, "operator");

        assertThat(RENDERED.one(Deployment.class, "virtfleet-operator").getSpec().getReplicas()).isEqualTo(2);
        assertThat(env(operator, "VIRTFLEET_LEADER_ELECTION_LEASE").getValue()).isEqualTo("vf-leader");
        assertThat(env(operator, "VIRTFLEET_AGENTS").getValue()).isEqualTo("hv-external-1=https://10.0.0.9:9440");
    }

    @Test
    void agentFollowsNodeStorageAndS3Settings() {
        Container agent = container(AGENT, "agent");

        assertThat(AGENT.getNodeSelector()).containsExactly(Map.entry("node-role.example.com/hypervisor", ""));
        assertThat(AGENT.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(AGENT.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(env(agent, "VIRTFLEET_AGENT_DOMAIN_TYPE").getValue()).isEqualTo("kvm");
        assertThat(env(agent, "VIRTFLEET_AGENT_POOL").getValue()).isEqualTo("vg-virtfleet");
        assertThat(env(agent, "VIRTFLEET_AGENT_STATE_DIR").getValue()).isEqualTo("/srv/virtfleet/state");
        assertThat(env(agent, "VIRTFLEET_AGENT_S3_ENDPOINT").getValue()).isEqualTo("https://minio.example.com:9000");
        assertThat(env(agent, "VIRTFLEET_AGENT_S3_SECRET_KEY").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("virtfleet-s3");
        assertThat(PodSpecs.mounts(agent)).containsEntry("kernels", "/srv/kernels").containsEntry("data", "/srv/virtfleet");
    }

    @Test
    void disablingTheAgentDropsDaemonSetAndDiscovery() {
        RenderedManifests rendered = ChartRender.with(Map.of("agent.enabled", false));
        Container operator = container(rendered.one(Deployment.class, "vf-virtfleet-operator").getSpec().getTemplate().getSpec(),
                "operator");

        assertThat(rendered.all(DaemonSet.class)).isEmpty();
        assertThat(hasEnv(operator, "VIRTFLEET_AGENT_SELECTOR")).isFalse();
    }
}
