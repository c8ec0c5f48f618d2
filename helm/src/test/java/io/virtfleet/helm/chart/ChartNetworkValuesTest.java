package io.virtfleet.helm.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's network allow-lists: nothing by default, the given lists when set, a forward mode outside the schema refused. */
class ChartNetworkValuesTest {

    @Test
    void byDefaultTheAgentRealisesNoNetworkAndAllowsNoOptOut() {
        Container agent = PodSpecs.agent(ChartRender.defaults());
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_ALLOWED_NETWORKS").getValue()).isEmpty();
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_NETWORK_FORWARD_MODES").getValue()).isEmpty();
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_ALLOW_FIREWALL_OPT_OUT").getValue()).isEqualTo("false");
    }

    @Test
    void theListsReachTheAgent() {
        Container agent = PodSpecs.agent(ChartRender.with(Map.of("agent.allowedNetworks[0]", "tenant-*",
                "agent.allowedNetworks[1]", "shared", "agent.networkForwardModes[0]", "isolated",
                "agent.networkForwardModes[1]", "nat", "agent.allowFirewallOptOut", true)));
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_ALLOWED_NETWORKS").getValue()).isEqualTo("tenant-*,shared");
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_NETWORK_FORWARD_MODES").getValue()).isEqualTo("isolated,nat");
        assertThat(PodSpecs.env(agent, "VIRTFLEET_AGENT_ALLOW_FIREWALL_OPT_OUT").getValue()).isEqualTo("true");
    }

    @Test
    void anUnknownForwardModeOrAWildcardNetworkIsRefusedByTheSchema() {
        assertThatThrownBy(() -> ChartRender.with(Map.of("agent.networkForwardModes[0]", "open")))
                .hasMessageContaining("networkForwardModes");
        assertThatThrownBy(() -> ChartRender.with(Map.of("agent.allowedNetworks[0]", "*")))
                .hasMessageContaining("allowedNetworks");
    }
}
