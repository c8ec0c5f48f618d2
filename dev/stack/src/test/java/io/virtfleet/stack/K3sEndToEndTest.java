package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.operator.OperatorSettings;
import io.virtfleet.operator.VirtFleetOperator;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import io.virtfleet.operator.scheduling.KubernetesNodeLabels;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * On a real API server (K3s in a container): the chart's CRDs install, the server enforces their CEL rules, and
 * the operator (with leader election on a Lease) reconciles a RootVolume. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
    @Container
    private final K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void crdsInstallValidateAndReconcile() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build()) {
            for (String file : MockKubernetesApi.CRD_FILES) {
                // the chart's copies (all three), as helm install applies them; a real API server rejects a CRD whose
                // CEL rules exceed the cost budget, so this is also the budget check crds/CrdCostBudgetTest stands in for
                try (InputStream in = Files.newInputStream(Path.of("../../helm/virtfleet/crds", file))) {
                    client.apiextensions().v1().customResourceDefinitions()
                            .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
                }
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> client.resources(RootVolume.class).inNamespace("default").list() != null
                            && client.resources(io.virtfleet.crds.v1alpha1.TenantPolicy.class).list() != null);
            client.resource(PlatformPolicies.sampleImages()).create();
            RootVolume invalid = new RootVolume();
            invalid.getMetadata().setName("bad-size");
            invalid.getMetadata().setNamespace("default");
            invalid.setSpec(Fleet.volumeSpec("0"));
            assertThatThrownBy(() -> client.resource(invalid).create())
                    .isInstanceOf(KubernetesClientException.class).hasMessageContaining("positive quantity");

            try (var labels = new KubernetesNodeLabels(client);
                 var operator = new VirtFleetOperator(client, new StaticAgentDirectory(List.of(),
                         new AgentClients(VirtFleetOperator.newRegistry(), io.virtfleet.operator.agent.AgentTransport.insecurePlainHttp())), labels,
                         OperatorSettings.defaults().withLeaderElection("default", OperatorSettings.DEFAULT_LEASE_NAME), VirtFleetOperator.newRegistry())
                         .start()) {
                new Fleet(client, "default").createVolume("no-agent", Fleet.volumeSpec("64Mi"));
                RootVolume reconciled = await().atMost(Duration.ofSeconds(60))
                        .until(() -> new Fleet(client, "default").volume("no-agent"),
                                v -> Fleet.condition(v.getStatus(), "Scheduled").isPresent());
                assertThat(Fleet.condition(reconciled.getStatus(), "Scheduled").orElseThrow().getReason())
                        .isEqualTo("NoNodeAvailable");
            }
        }
    }
}
