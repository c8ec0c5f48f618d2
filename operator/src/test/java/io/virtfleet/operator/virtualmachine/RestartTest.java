package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.agent.AgentCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a restartToken restarts and when it is only recorded. The steps that call an agent (shut down, then record)
 * run against the real reconciler and agent in dev/stack's PowerApiTest and on QEMU in
 * VirtualMachineLifecycleEndToEndTest; here no agent exists at all (null), so a step that touched one would fail.
 */
class RestartTest {
    @Test
    void aTokenIsDueUntilItIsRecordedAndAnAbsentTokenNeverIs() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        assertThat(Restart.due(spec(RunStrategy.Always, null), status)).isFalse();
        assertThat(Restart.due(spec(RunStrategy.Always, "a"), status)).isTrue();
        status.setObservedRestartToken("a");
        assertThat(Restart.due(spec(RunStrategy.Always, "a"), status)).isFalse();
        assertThat(Restart.due(spec(RunStrategy.Always, "b"), status)).isTrue();
        assertThat(Restart.due(spec(RunStrategy.Always, null), status)).as("clearing the token restarts nothing")
                .isFalse();
    }

    @Test
    void haltedAndManualVmsOnlyRecordTheToken() throws AgentCallException {
        for (RunStrategy strategy : new RunStrategy[] {RunStrategy.Halted, RunStrategy.Manual}) {
            VirtualMachineStatus status = ranOnce();
            assertThat(Restart.step(spec(strategy, "t1"), status, null, "ns.web01", () -> null)).isEmpty();
            assertThat(status.getObservedRestartToken()).as(strategy.name()).isEqualTo("t1");
        }
    }

    @Test
    void aVmThatNeverRanOnlyRecordsTheTokenItWasCreatedWith() throws AgentCallException {
        VirtualMachineStatus fresh = new VirtualMachineStatus();
        assertThat(Restart.step(spec(RunStrategy.Always, "t1"), fresh, null, "ns.web01", () -> null)).isEmpty();
        assertThat(fresh.getObservedRestartToken()).isEqualTo("t1");
    }

    @Test
    void aRecordedTokenIsNotActedOnAgain() throws AgentCallException {
        VirtualMachineStatus status = ranOnce();
        status.setObservedRestartToken("t1");
        assertThat(Restart.step(spec(RunStrategy.Always, "t1"), status, null, "ns.web01", () -> null)).isEmpty();
    }

    private static VirtualMachineStatus ranOnce() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        status.setInstanceId("i-0123456789abcdef");
        return status;
    }

    private static VirtualMachineSpec spec(RunStrategy strategy, String token) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setRunStrategy(strategy);
        spec.setRestartToken(token);
        return spec;
    }
}
