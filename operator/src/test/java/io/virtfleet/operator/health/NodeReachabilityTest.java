package io.virtfleet.operator.health;

import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.status.ConditionStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** While a node's agent does not answer, what it reported is Unknown, not a stale True or False. */
class NodeReachabilityTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Conditions conditions = new Conditions(clock);
    private final AgentHealth health = new AgentHealth(new NoAgents(), Duration.ofSeconds(1), Duration.ZERO, clock);
    private final NodeReachability reachability = new NodeReachability(conditions, health, Duration.ofSeconds(1));

    @Test
    void anUnreachableNodeMakesReadyAndWhatTheNodeReportedUnknownAndTheBindingStays() {
        VirtualMachineStatus status = runningVm();
        health.record("hv-01", false);

        Optional<Outcome<VirtualMachinePhase>> outcome = reachability.check(status, 1, "hv-01");

        assertThat(outcome).get().satisfies(o -> {
            assertThat(o.ready()).isEqualTo(ConditionStatus.Unknown);
            assertThat(o.phase()).as("the phase stays as last seen").isNull();
        });
        assertThat(status.getConditions()).filteredOn(c -> List.of("VolumeReady", "DomainDefined", "Running")
                .contains(c.getType())).hasSize(3).allSatisfy(c -> {
                    assertThat(c.getStatus()).isEqualTo("Unknown");
                    assertThat(c.getReason()).isEqualTo("NodeUnreachable");
                });
        assertThat(Conditions.find(status, ConditionType.Scheduled)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(Conditions.find(status, ConditionType.NodeUnreachable)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void aReachableNodeLetsTheReconcileGoOnAndRecordsTheRecovery() {
        VirtualMachineStatus status = runningVm();
        health.record("hv-01", false);
        reachability.check(status, 1, "hv-01");
        health.record("hv-01", true);

        assertThat(reachability.check(status, 1, "hv-01")).isEmpty();
        assertThat(Conditions.find(status, ConditionType.NodeUnreachable)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aFailedCallIsUnknownToo() {
        VirtualMachineStatus status = runningVm();

        Outcome<VirtualMachinePhase> outcome = reachability.callFailed(status, 1, "hv-01", "connect timed out");

        assertThat(outcome.ready()).isEqualTo(ConditionStatus.Unknown);
        assertThat(Conditions.find(status, ConditionType.Running)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
    }

    private VirtualMachineStatus runningVm() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        for (ConditionType type : List.of(ConditionType.Scheduled, ConditionType.VolumeReady,
                ConditionType.DomainDefined, ConditionType.Running, ConditionType.Ready)) {
            conditions.set(status, 1, type, true, "R", "m");
        }
        return status;
    }

    private static final class NoAgents implements AgentDirectory {
        @Override
        public List<String> nodeNames() {
            return List.of();
        }

        @Override
        public Optional<AgentClient> forNode(String nodeName) {
            return Optional.empty();
        }
    }
}
