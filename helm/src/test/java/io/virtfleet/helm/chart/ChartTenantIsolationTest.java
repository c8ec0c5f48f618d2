package io.virtfleet.helm.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.helm.crd.CrdFiles;
import io.virtfleet.helm.examples.SchemaCheck;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.virtfleet.helm.chart.PodSpecs.container;
import static io.virtfleet.helm.chart.PodSpecs.env;
import static org.assertj.core.api.Assertions.assertThat;

/** The platform's side of tenant isolation in the chart: the agents' allow-lists and the TenantPolicies. */
class ChartTenantIsolationTest {
    private static final RenderedManifests PRODUCTION =
            ChartRender.withValuesFile(Path.of("src/test/resources/values/production.yaml"));

    private static Container agent(RenderedManifests rendered, String name) {
        return container(rendered.one(DaemonSet.class, name).getSpec().getTemplate().getSpec(), "agent");
    }

    private static List<HasMetadata> policies(RenderedManifests rendered) {
        return rendered.objects().stream().filter(o -> "TenantPolicy".equals(o.getKind())).toList();
    }

    @Test
    void byDefaultTheAgentsAllowNothingAndNoPolicyIsInstalled() {
        RenderedManifests defaults = ChartRender.defaults();
        Container agent = agent(defaults, "vf-virtfleet-agent");
        for (String name : List.of("VIRTFLEET_AGENT_KERNEL_BOOT_DIRS", "VIRTFLEET_AGENT_ALLOWED_BRIDGES",
                "VIRTFLEET_AGENT_ALLOWED_POOLS", "VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS",
                "VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES")) {
            assertThat(env(agent, name).getValue()).as(name).isEmpty();
        }
        assertThat(policies(defaults)).isEmpty();
    }

    @Test
    void agentAllowListsComeFromValues() {
        Container agent = agent(PRODUCTION, "virtfleet-agent");
        assertThat(env(agent, "VIRTFLEET_AGENT_KERNEL_BOOT_DIRS").getValue()).isEqualTo("/srv/kernels");
        assertThat(env(agent, "VIRTFLEET_AGENT_ALLOWED_BRIDGES").getValue()).isEqualTo("br-tenants,br-dmz");
        assertThat(env(agent, "VIRTFLEET_AGENT_ALLOWED_POOLS").getValue()).isEqualTo("vg-fast");
        assertThat(env(agent, "VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS").getValue()).isEqualTo("10.20.0.0/16");
        assertThat(env(agent, "VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES").getValue()).isEqualTo("images/public");
    }

    @Test
    void tenantPoliciesFromValuesRenderAndPassTheCrdSchema() {
        List<HasMetadata> policies = policies(PRODUCTION);
        assertThat(policies).extracting(p -> p.getMetadata().getName())
                .containsExactly("tenants-default", "team-kernels");
        JsonNode schema = CrdFiles.openApiSchema("TenantPolicy");
        for (HasMetadata policy : policies) {
            JsonNode tree = Serialization.jsonMapper().valueToTree(policy);
            assertThat(policy.getMetadata().getNamespace()).as("cluster-scoped").isNull();
            assertThat(SchemaCheck.violations(schema, tree)).as(policy.getMetadata().getName()).isEmpty();
        }
        JsonNode first = Serialization.jsonMapper().valueToTree(policies.getFirst());
        assertThat(first.at("/spec/quota/memory").asText()).isEqualTo("256Gi");
        assertThat(first.at("/spec/imageSources/0/platformCredentials").asBoolean()).isTrue();
        assertThat(first.at("/spec/namespaceSelector/matchLabels").toString()).contains("virtfleet.io/tenant");
    }

    @Test
    void theSchemaRefusesAPolicyWithoutASelector() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ChartRender.with(
                Map.of("tenantPolicies[0].name", "broken", "tenantPolicies[0].bridges[0]", "br0"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("namespaceSelector");
    }
}
