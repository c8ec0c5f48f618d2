package io.virtfleet.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorMainTest {
    @Test
    void parsesTheAgentList() {
        var agents = OperatorMain.parseAgents("hv1=https://10.0.0.1:9440, hv2=https://10.0.0.2:9440", "s3cret");
        assertThat(agents).hasSize(2);
        assertThat(agents.get(1).nodeName()).isEqualTo("hv2");
        assertThat(agents.get(1).baseUri()).isEqualTo(URI.create("https://10.0.0.2:9440"));
        assertThat(agents.get(0).toString()).doesNotContain("s3cret");
    }

    @Test
    void anEntryWithoutNodeNameIsRejected() {
        assertThatThrownBy(() -> OperatorMain.parseAgents("https://10.0.0.1:9440", "t"))
                .hasMessageContaining("node=url");
    }

    @Test
    void staticAgentsAndDaemonSetPodsCombineAndOneOfThemIsRequired() {
        var clients = new AgentClients(new SimpleMeterRegistry(), io.virtfleet.operator.agent.AgentTransport.insecurePlainHttp());
        AgentDirectory statics = new StaticAgentDirectory(OperatorMain.parseAgents("hv-07=http://10.0.0.7:9440",
                "t"), clients);
        AgentDirectory pods = new StaticAgentDirectory(OperatorMain.parseAgents("hv-01=http://10.244.0.5:9440",
                "t"), clients);

        assertThat(OperatorMain.combine(Optional.of(statics), Optional.of(pods)).nodeNames())
                .containsExactly("hv-07", "hv-01");
        assertThat(OperatorMain.combine(Optional.empty(), Optional.of(pods))).isSameAs(pods);
        assertThat(OperatorMain.combine(Optional.of(statics), Optional.empty())).isSameAs(statics);
        assertThatThrownBy(() -> OperatorMain.combine(Optional.empty(), Optional.empty()))
                .hasMessageContaining("VIRTFLEET_AGENT_SELECTOR").hasMessageContaining("VIRTFLEET_AGENTS");
    }

    @Test
    void parsesTheAgentPodSelector() {
        assertThat(OperatorMain.parseLabels("app.kubernetes.io/name=virtfleet-agent, tier=hv"))
                .containsEntry("app.kubernetes.io/name", "virtfleet-agent").containsEntry("tier", "hv");
        assertThatThrownBy(() -> OperatorMain.parseLabels("novalue")).hasMessageContaining("key=value");
    }
}
