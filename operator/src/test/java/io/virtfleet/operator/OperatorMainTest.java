package io.virtfleet.operator;

import org.junit.jupiter.api.Test;

import java.net.URI;

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
    void parsesTheAgentPodSelector() {
        assertThat(OperatorMain.parseLabels("app.kubernetes.io/name=virtfleet-agent, tier=hv"))
                .containsEntry("app.kubernetes.io/name", "virtfleet-agent").containsEntry("tier", "hv");
        assertThatThrownBy(() -> OperatorMain.parseLabels("novalue")).hasMessageContaining("key=value");
    }
}
