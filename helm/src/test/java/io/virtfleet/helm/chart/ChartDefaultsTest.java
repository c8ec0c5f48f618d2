package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static io.virtfleet.helm.chart.PodSpecs.container;
import static io.virtfleet.helm.chart.PodSpecs.env;
import static io.virtfleet.helm.chart.PodSpecs.hasEnv;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart rendered with its default values: what `helm install virtfleet ./helm/virtfleet` creates. */
class ChartDefaultsTest {
    private static final RenderedManifests RENDERED = ChartRender.defaults();
    private static final Deployment OPERATOR = RENDERED.one(Deployment.class, "vf-virtfleet-operator");
    private static final DaemonSet AGENT = RENDERED.one(DaemonSet.class, "vf-virtfleet-agent");

    @Test
    void rendersTheInstallAndNothingOptional() {
        assertThat(RENDERED.kinds()).containsExactlyInAnyOrder(
                "ServiceAccount", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Service", "Deployment", "DaemonSet",
                // mutual TLS: the agents' and the operator's certificates (Helm-generated)
                "Secret", "Secret",
                // aggregated into view, edit and admin for namespace users
                "ClusterRole", "ClusterRole", "ClusterRole",
                // the console gateway: its serving certificate, Service, APIService, and reading the requestheader CA
                "Secret", "Service", "APIService", "RoleBinding");
    }

    @Test
    void operatorRunsWithLeaderElectionProbesAndAsNonRoot() {
        PodSpec pod = OPERATOR.getSpec().getTemplate().getSpec();
        Container operator = container(pod, "operator");

        assertThat(OPERATOR.getSpec().getReplicas()).isEqualTo(1);
        assertThat(env(operator, "VIRTFLEET_LEADER_ELECTION").getValue()).isEqualTo("true");
        assertThat(env(operator, "VIRTFLEET_LEADER_ELECTION_LEASE").getValue()).isEqualTo("virtfleet-operator");
        assertThat(env(operator, "VIRTFLEET_RELEASE_GRACE_SECONDS").getValue()).as("release grace").isEqualTo("600");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactlyInAnyOrder("metrics:8080", "health:8081", "consoles:8443");
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void daemonSetSelectorMatchesItsPodsAndRunsOnlyOnHypervisors() {
        LabelSelector selector = AGENT.getSpec().getSelector();
        Map<String, String> podLabels = AGENT.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(podLabels).containsAllEntriesOf(selector.getMatchLabels());
        assertThat(selector.getMatchLabels()).containsEntry("app.kubernetes.io/component", "agent");
        assertThat(AGENT.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsExactly(Map.entry("virtfleet.io/hypervisor", "true"));
    }

    @Test
    void operatorDiscoversAgentsByTheLabelsOfTheAgentPods() {
        Container operator = container(OPERATOR.getSpec().getTemplate().getSpec(), "operator");
        Map<String, String> selector = Arrays.stream(env(operator, "VIRTFLEET_AGENT_SELECTOR").getValue().split(","))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));

        assertThat(AGENT.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(OPERATOR.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainEntry(
                "app.kubernetes.io/component", "agent");
        assertThat(env(operator, "VIRTFLEET_AGENT_PORT").getValue()).isEqualTo("9440");
        assertThat(hasEnv(operator, "VIRTFLEET_AGENT_SCHEME")).as("the scheme is always https").isFalse();
        assertThat(hasEnv(operator, "VIRTFLEET_AGENTS")).as("no static agents by default").isFalse();
    }

    @Test
    void agentIsPrivilegedWithTheHostPathsLibvirtNeedsAndNoKubernetesToken() {
        PodSpec pod = AGENT.getSpec().getTemplate().getSpec();
        Container agent = container(pod, "agent");

        assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(PodSpecs.hostPaths(pod)).containsEntry("libvirt-sockets", "/run/libvirt")
                .containsEntry("dev", "/dev").containsEntry("data", "/var/lib/virtfleet");
        // Same path inside and outside: libvirtd on the host opens the files the agent names.
        assertThat(PodSpecs.mounts(agent)).containsAllEntriesOf(PodSpecs.hostPaths(pod));
        assertThat(env(agent, "VIRTFLEET_AGENT_CACHE_DIR").getValue()).isEqualTo("/var/lib/virtfleet/cache");
        assertThat(env(agent, "VIRTFLEET_AGENT_NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("spec.nodeName");
        assertThat(agent.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("api=9440", "probes=9441");
        assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        // Kubelet probes present no client certificate: they use the plain, read-only probes port.
        assertThat(agent.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
        assertThat(agent.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
        assertThat(RENDERED.one(ServiceAccount.class, "vf-virtfleet-agent").getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void mutualTlsIsOnWithHelmGeneratedCertificatesMountedOnBothSides() {
        Container operator = container(OPERATOR.getSpec().getTemplate().getSpec(), "operator");
        Container agent = container(AGENT.getSpec().getTemplate().getSpec(), "agent");

        assertThat(env(agent, "VIRTFLEET_AGENT_TLS_DIR").getValue()).isEqualTo("/etc/virtfleet/tls");
        assertThat(env(agent, "VIRTFLEET_AGENT_TLS_CLIENT_NAME").getValue()).isEqualTo("virtfleet-operator");
        assertThat(env(agent, "VIRTFLEET_AGENT_PROBE_PORT").getValue()).isEqualTo("9441");
        assertThat(env(operator, "VIRTFLEET_AGENT_TLS_DIR").getValue()).isEqualTo("/etc/virtfleet/agent-tls");
        assertThat(env(operator, "VIRTFLEET_AGENT_TLS_SERVER_NAME").getValue()).isEqualTo("virtfleet-agent");
        assertThat(PodSpecs.mounts(agent)).containsEntry("tls", "/etc/virtfleet/tls");
        assertThat(PodSpecs.mounts(operator)).containsEntry("agent-tls", "/etc/virtfleet/agent-tls");
        assertThat(secretVolume(AGENT.getSpec().getTemplate().getSpec(), "tls")).isEqualTo("vf-virtfleet-agent-tls");
        assertThat(secretVolume(OPERATOR.getSpec().getTemplate().getSpec(), "agent-tls"))
                .isEqualTo("vf-virtfleet-operator-tls");
        for (String name : new String[] {"vf-virtfleet-agent-tls", "vf-virtfleet-operator-tls"}) {
            Secret secret = RENDERED.one(Secret.class, name);
            assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
            assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        }
        assertThat(RENDERED.one(Secret.class, "vf-virtfleet-agent-tls").getData().get("ca.crt"))
                .as("one CA signs both sides").isEqualTo(RENDERED.one(Secret.class, "vf-virtfleet-operator-tls")
                        .getData().get("ca.crt"));
        assertThat(hasEnv(operator, "VIRTFLEET_AGENT_TOKEN") || hasEnv(agent, "VIRTFLEET_AGENT_TOKEN"))
                .as("no shared bearer token").isFalse();
        assertThat(RENDERED.generic("Certificate")).as("cert-manager is optional").isEmpty();
    }

    @Test
    void generatedSecretsAreLookedUpAndKeptAcrossUpgrades() throws IOException {
        String template = Files.readString(RepoFiles.CHART.resolve("templates/tls-secrets.yaml"));
        // helm-java cannot run lookup without a cluster (ChartRender turns it off), so its use is read from the text.
        assertThat(template).contains("lookup \"v1\" \"Secret\" .Release.Namespace $agentSecret",
                "lookup \"v1\" \"Secret\" .Release.Namespace $operatorSecret", "$agentData = $existingAgent.data",
                "{{- if .Values.tls.reuseGeneratedSecrets }}");
        String first = RENDERED.one(Secret.class, "vf-virtfleet-agent-tls").getData().get("ca.crt");
        String second = ChartRender.defaults().one(Secret.class, "vf-virtfleet-agent-tls").getData().get("ca.crt");
        assertThat(second).as("without a lookup every render makes a new CA").isNotEqualTo(first);
    }

    @Test
    void theChartNeverRendersTheInsecurePlainHttpSetting() throws IOException {
        for (RenderedManifests rendered : new RenderedManifests[] {RENDERED,
                ChartRender.withValuesFile(java.nio.file.Path.of("src/test/resources/values/production.yaml"))}) {
            assertThat(rendered.yaml()).doesNotContain("INSECURE_PLAIN_HTTP").doesNotContain("http://");
        }
        try (var templates = Files.list(RepoFiles.CHART.resolve("templates"))) {
            assertThat(templates.toList()).allSatisfy(template -> assertThat(Files.readString(template))
                    .as("%s", template).doesNotContainIgnoringCase("insecure"));
        }
    }

    private static String secretVolume(PodSpec pod, String volume) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst().orElseThrow()
                .getSecret().getSecretName();
    }
}
