package io.virtfleet.helm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's standalone provisioning call: off and with no image allowed by default, on only when asked. */
class ChartProvisionApiTest {

    @Test
    void byDefaultTheCallIsOffAndNoImageIsAllowed() {
        Container agent = PodSpecs.agent(ChartRender.defaults());
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_API").getValue()).isEqualTo("false");
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES").getValue()).isEmpty();
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_WAIT_SECONDS").getValue()).isEqualTo("50");
    }

    @Test
    void theSettingsReachTheAgent() {
        Container agent = PodSpecs.agent(ChartRender.with(Map.of("agent.provisionApi.enabled", true,
                "agent.provisionApi.imagePrefixes[0]", "s3://images/golden/",
                "agent.provisionApi.imagePrefixes[1]", "https://mirror.example.org/images/",
                "agent.provisionApi.waitSeconds", 120)));
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_API").getValue()).isEqualTo("true");
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES").getValue())
                .isEqualTo("s3://images/golden/,https://mirror.example.org/images/");
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_PROVISION_WAIT_SECONDS").getValue()).isEqualTo("120");
    }

    @Test
    void aPrefixThatIsNotAFolderIsRefusedByTheSchema() {
        for (String prefix : new String[]{"s3://images/golden", "file:///srv/", "https://user@mirror/images/", "*"}) {
            assertThatThrownBy(() -> ChartRender.with(Map.of("agent.provisionApi.imagePrefixes[0]", prefix)))
                    .as(prefix).hasMessageContaining("imagePrefixes");
        }
    }
}
