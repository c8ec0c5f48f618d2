package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.status.ConditionStatus;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What Ready means for a VM: it runs. A VM kept stopped is settled (phase Stopped) but not Ready. */
class DomainStatusMirrorTest {
    private final DomainStatusMirror mirror = new DomainStatusMirror(new Conditions(Clock.systemUTC()),
            Duration.ofMinutes(30));

    @Test
    void aRunningVmIsReady() {
        Outcome<VirtualMachinePhase> outcome = mirror(RunStrategy.Always, DomainPhase.Running, Power.RUNNING);

        assertThat(outcome.ready()).isEqualTo(ConditionStatus.True);
        assertThat(outcome.phase()).isEqualTo(VirtualMachinePhase.Running);
        assertThat(outcome.reason()).isEqualTo(Reason.DOMAIN_RUNNING);
    }

    @Test
    void aHaltedVmIsSettledButNotReadyWithReasonHalted() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        Outcome<VirtualMachinePhase> outcome = mirror(status, RunStrategy.Halted, DomainPhase.Stopped, Power.STOPPED);

        assertThat(outcome.ready()).isEqualTo(ConditionStatus.False);
        assertThat(outcome.phase()).isEqualTo(VirtualMachinePhase.Stopped);
        assertThat(outcome.reason()).isEqualTo(Reason.HALTED);
        assertThat(outcome.retryAfter()).as("settled: nothing to poll").isEqualTo(Duration.ofMinutes(30));
        assertThat(Conditions.find(status, io.virtfleet.operator.status.ConditionType.Running)).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aManualVmIsReadyOnlyWhileItRuns() {
        assertThat(mirror(RunStrategy.Manual, DomainPhase.Running, Power.RUNNING).ready()).isEqualTo(ConditionStatus.True);
        Outcome<VirtualMachinePhase> stopped = mirror(RunStrategy.Manual, DomainPhase.Stopped, Power.STOPPED);
        assertThat(stopped.ready()).isEqualTo(ConditionStatus.False);
        assertThat(stopped.reason()).isEqualTo(Reason.MANUAL);
        assertThat(stopped.phase()).isEqualTo(VirtualMachinePhase.Stopped);
    }

    @Test
    void aVmOnItsWayToStoppedIsNotReadyAndPolled() {
        Outcome<VirtualMachinePhase> outcome = mirror(RunStrategy.Halted, DomainPhase.Running, Power.STOPPED);

        assertThat(outcome.ready()).isEqualTo(ConditionStatus.False);
        assertThat(outcome.reason()).isEqualTo(Reason.STOPPING);
        assertThat(outcome.retryAfter()).isEqualTo(DomainStatusMirror.POLL_WHILE_CHANGING);
    }

    @Test
    void aPausedVmIsSettledInPhasePausedButNotReady() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        Outcome<VirtualMachinePhase> outcome = mirror(status, RunStrategy.Paused, DomainPhase.Paused, Power.PAUSED);

        assertThat(outcome.phase()).isEqualTo(VirtualMachinePhase.Paused);
        assertThat(outcome.ready()).isEqualTo(ConditionStatus.False);
        assertThat(outcome.reason()).isEqualTo(Reason.PAUSED);
        assertThat(outcome.retryAfter()).as("settled: nothing to poll").isEqualTo(Duration.ofMinutes(30));
        assertThat(Conditions.find(status, io.virtfleet.operator.status.ConditionType.Running)).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(Reason.DOMAIN_PAUSED));
    }

    @Test
    void aVmOnItsWayToPausedOrOutOfItIsPolled() {
        Outcome<VirtualMachinePhase> pausing = mirror(RunStrategy.Paused, DomainPhase.Stopped, Power.PAUSED);
        assertThat(pausing.phase()).isEqualTo(VirtualMachinePhase.Starting);
        assertThat(pausing.reason()).isEqualTo(Reason.PAUSING);
        assertThat(pausing.retryAfter()).isEqualTo(DomainStatusMirror.POLL_WHILE_CHANGING);

        Outcome<VirtualMachinePhase> stopping = mirror(RunStrategy.Halted, DomainPhase.Paused, Power.STOPPED);
        assertThat(stopping.phase()).as("still paused while it stops").isEqualTo(VirtualMachinePhase.Paused);
        assertThat(stopping.reason()).isEqualTo(Reason.STOPPING);

        Outcome<VirtualMachinePhase> resuming = mirror(RunStrategy.Always, DomainPhase.Paused, Power.RUNNING);
        assertThat(resuming.reason()).isEqualTo(Reason.STARTING);
        assertThat(resuming.retryAfter()).isEqualTo(DomainStatusMirror.POLL_WHILE_CHANGING);
    }

    @Test
    void aManualVmPausedByAPersonIsSettledAsPaused() {
        Outcome<VirtualMachinePhase> outcome = mirror(RunStrategy.Manual, DomainPhase.Paused, Power.PAUSED);

        assertThat(outcome.phase()).isEqualTo(VirtualMachinePhase.Paused);
        assertThat(outcome.reason()).isEqualTo(Reason.MANUAL);
    }

    private Outcome<VirtualMachinePhase> mirror(RunStrategy strategy, DomainPhase phase, Power desired) {
        return mirror(new VirtualMachineStatus(), strategy, phase, desired);
    }

    private Outcome<VirtualMachinePhase> mirror(VirtualMachineStatus status, RunStrategy strategy, DomainPhase phase,
                                                Power desired) {
        return mirror.mirror(status, 1, spec(strategy), new DomainStatus("default.web01", "u", phase), desired);
    }

    private static VirtualMachineSpec spec(RunStrategy strategy) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setRunStrategy(strategy);
        return spec;
    }
}
