package io.virtfleet.operator.status;

import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class StatusChangeTest {
    private final Conditions conditions = new Conditions(Clock.systemUTC());

    private VirtualMachineStatus provisioning() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        status.setPhase(VirtualMachinePhase.Provisioning);
        conditions.set(status, 1, ConditionType.VolumeReady, false, "RootVolumeNotReady", "waiting");
        conditions.set(status, 1, ConditionType.Ready, false, "RootVolumeNotReady", "waiting for RootVolume r");
        return status;
    }

    @Test
    void everyConditionTransitionOfAReconcileIsNamedInItsEvent() {
        VirtualMachineStatus status = provisioning();
        StatusChange change = StatusChange.from(status, status.getPhase());
        conditions.set(status, 1, ConditionType.VolumeReady, true, "VolumeReady", "ready");
        conditions.set(status, 1, ConditionType.DomainDefined, true, "DomainDefined", "defined");
        conditions.set(status, 1, ConditionType.Ready, false, "Starting", "starting the domain");
        status.setPhase(VirtualMachinePhase.Starting);

        var announcement = change.announcement(status, status.getPhase(), false);
        assertThat(announcement).get().satisfies(a -> {
            assertThat(a.warning()).isFalse();
            assertThat(a.reason()).isEqualTo("Starting");
            assertThat(a.message()).startsWith("starting the domain")
                    .contains("VolumeReady=True (VolumeReady)", "DomainDefined=True (DomainDefined)")
                    .doesNotContain("Ready=False");
        });
    }

    @Test
    void aTransitionAloneIsAnnouncedAndNoChangeIsNot() {
        VirtualMachineStatus status = provisioning();
        StatusChange unchanged = StatusChange.from(status, status.getPhase());
        assertThat(unchanged.announcement(status, status.getPhase(), false)).isEmpty();

        conditions.set(status, 1, ConditionType.VolumeReady, true, "VolumeReady", "ready");
        assertThat(unchanged.announcement(status, status.getPhase(), false)).get()
                .satisfies(a -> assertThat(a.message()).contains("VolumeReady=True"));
    }

    @Test
    void aFailureIsAWarning() {
        VirtualMachineStatus status = provisioning();
        StatusChange change = StatusChange.from(status, status.getPhase());
        conditions.set(status, 1, ConditionType.Ready, false, "InvalidSpec", "spec.vcpus must be at least 1");
        status.setPhase(VirtualMachinePhase.Failed);
        assertThat(change.announcement(status, status.getPhase(), true)).get().satisfies(a -> {
            assertThat(a.warning()).isTrue();
            assertThat(a.reason()).isEqualTo("InvalidSpec");
        });
    }
}
