package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** status.hardware follows the running domain; only a change the same running instance took live is announced. */
class LiveHardwareMirrorTest {
    private static final long MIB = 1L << 20;

    private static DomainStatus running(int vcpus, long memoryMib, long maxMemoryMib, int maxVcpus) {
        return new DomainStatus("default.web01", "u", DomainPhase.Running, false, null, null, List.of(),
                new DomainStatus.LiveHardware(vcpus, maxVcpus, memoryMib * MIB, maxMemoryMib * MIB));
    }

    @Test
    void aStartIsMirroredWithoutAnnouncingAChange() {
        VirtualMachineStatus status = new VirtualMachineStatus();

        assertThat(LiveHardwareMirror.mirror(status, running(1, 1024, 2048, 4))).isEmpty();
        assertThat(status.getHardware().getVcpus()).isEqualTo(1);
        assertThat(status.getHardware().getMaxVcpus()).isEqualTo(4);
        assertThat(status.getHardware().getMemory().toString()).isEqualTo("1Gi");
        assertThat(status.getHardware().getMaxMemory().toString()).isEqualTo("2Gi");
    }

    @Test
    void aLiveChangeWithinTheSameMaximaIsAnnouncedOnceAndNotAgain() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        LiveHardwareMirror.mirror(status, running(1, 1024, 2048, 4));

        assertThat(LiveHardwareMirror.mirror(status, running(2, 768, 2048, 4))).hasValueSatisfying(message ->
                assertThat(message).contains("vCPUs 1 -> 2").contains("memory 1Gi -> 768Mi"));
        assertThat(LiveHardwareMirror.mirror(status, running(2, 768, 2048, 4))).as("no transition, no Event").isEmpty();
    }

    @Test
    void aStopClearsTheLiveValuesAndARestartWithNewMaximaIsNoLiveChange() {
        VirtualMachineStatus status = new VirtualMachineStatus();
        LiveHardwareMirror.mirror(status, running(1, 1024, 2048, 4));

        assertThat(LiveHardwareMirror.mirror(status, running(2, 1024, 4096, 4))).isEmpty();
        assertThat(LiveHardwareMirror.mirror(status, new DomainStatus("default.web01", "u", DomainPhase.Stopped)))
                .isEmpty();
        assertThat(status.getHardware()).as("nothing runs").isNull();
    }
}
