package io.virtfleet.operator.scheduling;

import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.StaticAgentDirectory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSchedulerTest {
    private static StaticAgentDirectory agents(String... nodes) {
        return new StaticAgentDirectory(List.of(nodes).stream()
                .map(n -> new AgentEndpoint(n, URI.create("http://" + n + ":9440"), "t")).toList());
    }

    @Test
    void theOnlyAgentTakesAnUnpinnedObject() {
        var placement = new NodeScheduler(agents("hv1")).place(null, null);
        assertThat(placement.nodeName()).contains("hv1");
        assertThat(placement.reason()).isEqualTo("OnlyNode");
    }

    @Test
    void aPinToAnUnknownNodeIsRefusedWithItsName() {
        var placement = new NodeScheduler(agents("hv1")).place(null, "hv9");
        assertThat(placement.nodeName()).isEmpty();
        assertThat(placement.reason()).isEqualTo("NoNodeAvailable");
        assertThat(placement.message()).contains("hv9");
    }

    @Test
    void aBoundObjectNeverMoves() {
        var scheduler = new NodeScheduler(agents("hv1", "hv2"));
        assertThat(scheduler.place("hv2", null).nodeName()).contains("hv2");
        var moved = scheduler.place("hv2", "hv1");
        assertThat(moved.nodeName()).isEmpty();
        assertThat(moved.reason()).isEqualTo("NodeMismatch");
    }

    @Test
    void severalAgentsAndNoPinAskForANodeName() {
        var placement = new NodeScheduler(agents("hv1", "hv2")).place(null, null);
        assertThat(placement.nodeName()).isEmpty();
        assertThat(placement.message()).contains("spec.nodeName").contains("hv1, hv2");
    }
}
