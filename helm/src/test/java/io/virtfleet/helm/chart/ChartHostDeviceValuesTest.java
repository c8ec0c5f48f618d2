package io.virtfleet.helm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.virtfleet.agent.contract.PciAddresses;
import io.virtfleet.agent.device.AllowedHostDevice;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.helm.RepoFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.helm.crd.CrdFiles;
import io.virtfleet.helm.examples.SchemaCheck;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's host device allow-list: nothing by default, the given models when set, wildcards refused by the schema. */
class ChartHostDeviceValuesTest {

    @Test
    void byDefaultNoDeviceMayBePassedThrough() {
        assertThat(PodSpecs.env(agent(ChartRender.defaults()), "VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES").getValue())
                .isEmpty();
    }

    @Test
    void theModelsReachTheAgent() {
        Container agent = agent(ChartRender.with(Map.of("agent.allowedHostDevices[0]", "gpu.example.com/t4=10de:1eb8",
                "agent.allowedHostDevices[1]", "nic.example.com/cx6-vf=15b3:101e")));
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES").getValue())
                .isEqualTo("gpu.example.com/t4=10de:1eb8,nic.example.com/cx6-vf=15b3:101e");
    }

    @Test
    void aWildcardOrAnEntryWithoutIdsIsRefusedByTheSchema() {
        for (String entry : new String[] {"*", "gpu.example.com/t4=10de:*", "gpu.example.com/t4", "t4=10de:1eb8"}) {
            assertThatThrownBy(() -> ChartRender.with(Map.of("agent.allowedHostDevices[0]", entry))).as(entry)
                    .hasMessageContaining("allowedHostDevices");
        }
    }

    @Test
    void aTenantPolicyFromValuesCarriesItsHostDevices() {
        RenderedManifests rendered = ChartRender.with(Map.of("tenantPolicies[0].name", "gpus",
                "tenantPolicies[0].namespaceSelector.matchLabels.team", "ml",
                "tenantPolicies[0].hostDevices[0]", "gpu.example.com/t4"));
        HasMetadata policy = rendered.objects().stream().filter(o -> "TenantPolicy".equals(o.getKind()))
                .findFirst().orElseThrow();
        JsonNode tree = Serialization.jsonMapper().valueToTree(policy);
        assertThat(tree.at("/spec/hostDevices/0").asText()).isEqualTo("gpu.example.com/t4");
        assertThat(SchemaCheck.violations(CrdFiles.openApiSchema("TenantPolicy"), tree)).isEmpty();
    }

    private static Container agent(RenderedManifests rendered) {
        return rendered.one(DaemonSet.class, "vf-virtfleet-agent").getSpec().getTemplate().getSpec().getContainers()
                .getFirst();
    }

    /** The agent, the contract, the CRDs and the chart spell resource names and PCI addresses the same way. */
    @Test
    void theFormatsAreTheSameEverywhere() throws java.io.IOException {
        assertThat("^" + AllowedHostDevice.RESOURCE_NAME + "$").isEqualTo(Patterns.HOST_DEVICE_RESOURCE);
        assertThat("^" + PciAddresses.PATTERN + "$").isEqualTo(Patterns.PCI_ADDRESS);
        JsonNode schema = Serialization.jsonMapper().readTree(RepoFiles.CHART.resolve("values.schema.json").toFile());
        assertThat(schema.at("/properties/agent/properties/allowedHostDevices/items/pattern").asText())
                .isEqualTo(Patterns.HOST_DEVICE_RESOURCE.replace("$", "") + "=[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$");
    }
}
