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
                // aggregated into view, edit and admin for namespace users
                "ClusterRole", "ClusterRole", "ClusterRole");
    }

    @Test
    void operatorRunsWithLeaderElectionProbesAndAsNonRoot() {
        PodSpec pod = OPERATOR.getSpec().getTemplate().getSpec();
        Container operator = container(pod, "operator");

        assertThat(OPERATOR.getSpec().getReplicas()).isEqualTo(1);
        assertThat(env(operator, "VIRTFLEET_LEADER_ELECTION").getValue()).isEqualTo("true");
        assertThat(env(operator, "VIRTFLEET_LEADER_ELECTION_LEASE").getValue()).isEqualTo("virtfleet-operator");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactlyInAnyOrder("metrics:8080", "health:8081");
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
        assertThat(env(operator, "VIRTFLEET_AGENT_SCHEME").getValue()).isEqualTo("http");
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
        assertThat(agent.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(9440);
        assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(RENDERED.one(ServiceAccount.class, "vf-virtfleet-agent").getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void operatorAndAgentShareOneTokenSecretThatTheChartCreatesOnlyAtInstall() throws IOException {
        Container operator = container(OPERATOR.getSpec().getTemplate().getSpec(), "operator");
        Container agent = container(AGENT.getSpec().getTemplate().getSpec(), "agent");
        // helm-java's template leaves hooks out of its output, so the hook is checked in its template file.
        String secretTemplate = Files.readString(RepoFiles.CHART.resolve("templates/agent-token-secret.yaml"));

        assertThat(env(operator, "VIRTFLEET_AGENT_TOKEN").getValueFrom().getSecretKeyRef())
                .isEqualTo(env(agent, "VIRTFLEET_AGENT_TOKEN").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("vf-virtfleet-agent-token/token"));
        assertThat(secretTemplate).contains("name: {{ include \"virtfleet.agentTokenSecret\" . }}",
                "helm.sh/hook: pre-install", "helm.sh/resource-policy: keep", "randAlphaNum 48");
        assertThat(RENDERED.all(Secret.class)).as("hooks are not part of the release manifest").isEmpty();
    }
}
