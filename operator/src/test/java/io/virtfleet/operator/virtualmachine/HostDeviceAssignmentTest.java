package io.virtfleet.operator.virtualmachine;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.crds.v1alpha1.AssignedHostDevice;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.scheduling.Committed;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.scheduling.Schedulers;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Host devices of a VM already on its node (a VM on a named RootVolume, or a spec changed after placement): assigned
 * from the node's free devices, kept once recorded, given back when no longer asked for.
 */
class HostDeviceAssignmentTest {
    private static final String T4 = "gpu.example.com/t4";
    private static final String GPU_A = "0000:03:00.0";
    private static final String GPU_B = "0000:04:00.0";

    private final List<HostCapacity.HostDevice> reported = new ArrayList<>();
    /** The addresses each VM's status records as the informer sees it (an operator restart starts from these). */
    private final Map<String, List<String>> informer = new HashMap<>();
    private final NodeScheduler scheduler = Schedulers.over(List.of("hv1"), node -> Map.of(),
            node -> Optional.of(new HostCapacity("hv1", 8, 1L << 36, 1L << 36, "pool",
                    List.of(new HostCapacity.Pool("pool", 1L << 40, 1L << 40)), List.of(), reported)),
            excluding -> Map.of("hv1", Committed.nothing().holdingDevices(informer.entrySet().stream()
                    .filter(e -> !excluding.contains(e.getKey())).flatMap(e -> e.getValue().stream()).toList())));
    private final HostDeviceAssignment assignment = new HostDeviceAssignment(scheduler, new Conditions(Clock.systemUTC()));

    private static VirtualMachine vm(String name, String... deviceNames) {
        VirtualMachine vm = new VirtualMachine();
        vm.getMetadata().setNamespace("team-a");
        vm.getMetadata().setName(name);
        vm.setSpec(VirtualMachineSpecCheckTest.spec());
        vm.getSpec().setHostDevices(java.util.Arrays.stream(deviceNames).map(n -> new HostDeviceRequest(n, T4)).toList());
        vm.setStatus(new VirtualMachineStatus());
        vm.getStatus().setNodeName("hv1");
        return vm;
    }

    private void report(String... addresses) {
        reported.clear();
        for (String address : addresses) {
            reported.add(new HostCapacity.HostDevice(T4, address, 1, "vfio-pci", false, null));
        }
    }

    private void informerSees(VirtualMachine vm) {
        informer.put("VirtualMachine/team-a/" + vm.getMetadata().getName(), HostDeviceAssignment.addresses(vm.getStatus()));
    }

    private static List<String> recorded(VirtualMachine vm) {
        return vm.getStatus().getHostDevices() == null ? List.of()
                : vm.getStatus().getHostDevices().stream().map(d -> d.getName() + "=" + d.getAddress()).toList();
    }

    @Test
    void aBoundVmWaitsNamingTheResourceThenGetsItsDevicesInSpecOrder() {
        report(GPU_A);
        VirtualMachine vm = vm("gpu-vm", "gpu0", "gpu1");

        Optional<Outcome<VirtualMachinePhase>> waiting = assignment.ensure(vm, vm.getStatus(), 1);

        assertThat(waiting).hasValueSatisfying(o -> {
            assertThat(o.phase()).isEqualTo(VirtualMachinePhase.Pending);
            assertThat(o.reason()).isEqualTo("InsufficientCapacity");
            assertThat(o.message()).contains("needs 2 free " + T4 + ", has 1");
        });
        assertThat(Conditions.isTrue(vm.getStatus(), ConditionType.Scheduled)).isFalse();
        assertThat(vm.getStatus().getHostDevices()).isNull();

        report(GPU_B, GPU_A);
        assertThat(assignment.ensure(vm, vm.getStatus(), 1)).isEmpty();
        assertThat(recorded(vm)).containsExactly("gpu0=" + GPU_A, "gpu1=" + GPU_B);
        assertThat(Conditions.isTrue(vm.getStatus(), ConditionType.Scheduled)).isTrue();
    }

    @Test
    void recordedDevicesAreKeptAndADroppedOneIsGivenBack() {
        report(GPU_A, GPU_B);
        VirtualMachine vm = vm("gpu-vm", "gpu0", "gpu1");
        assignment.ensure(vm, vm.getStatus(), 1);

        vm.getSpec().setHostDevices(List.of(new HostDeviceRequest("gpu1", T4)));
        assertThat(assignment.ensure(vm, vm.getStatus(), 2)).isEmpty();
        assertThat(recorded(vm)).containsExactly("gpu1=" + GPU_B);

        VirtualMachine other = vm("other", "gpu0");
        assertThat(assignment.ensure(other, other.getStatus(), 1)).isEmpty();
        assertThat(recorded(other)).as("the device given back").containsExactly("gpu0=" + GPU_A);
        assertThat(assignment.ensure(vm, vm.getStatus(), 2)).isEmpty();
        assertThat(recorded(vm)).as("kept, not reshuffled").containsExactly("gpu1=" + GPU_B);
    }

    /** Its own recorded device is not another VM's: on a one-GPU node the renamed entry keeps it, not Pending. */
    @Test
    void aRenamedEntryKeepsTheVmsOwnDeviceOnAOneGpuNode() {
        report(GPU_A);
        VirtualMachine vm = vm("gpu-vm", "gpu0");
        assignment.ensure(vm, vm.getStatus(), 1);
        informerSees(vm);

        vm.getSpec().setHostDevices(List.of(new HostDeviceRequest("gpu1", T4)));
        assertThat(assignment.ensure(vm, vm.getStatus(), 2)).isEmpty();

        assertThat(recorded(vm)).containsExactly("gpu1=" + GPU_A);
        assertThat(Conditions.isTrue(vm.getStatus(), ConditionType.Scheduled)).isTrue();
        VirtualMachine other = vm("other", "gpu0");
        assertThat(assignment.ensure(other, other.getStatus(), 1)).as("still the VM's").isPresent();
    }

    /** A renamed entry keeps the address the VM recorded for its resource, not the lowest free one. */
    @Test
    void aRenamedEntryKeepsItsAddressWhenAnotherDeviceIsFree() {
        report(GPU_A, GPU_B);
        VirtualMachine first = vm("first", "gpu0");
        VirtualMachine vm = vm("gpu-vm", "gpu0");
        assignment.ensure(first, first.getStatus(), 1);
        assignment.ensure(vm, vm.getStatus(), 1);
        informerSees(vm);
        assertThat(recorded(vm)).containsExactly("gpu0=" + GPU_B);
        scheduler.release("VirtualMachine/team-a/first");

        vm.getSpec().setHostDevices(List.of(new HostDeviceRequest("gpu1", T4), new HostDeviceRequest("gpu2", T4)));
        assertThat(assignment.ensure(vm, vm.getStatus(), 2)).isEmpty();

        assertThat(recorded(vm)).containsExactly("gpu1=" + GPU_B, "gpu2=" + GPU_A);
    }

    @Test
    void aVmWithoutDevicesRecordsNothing() {
        VirtualMachine vm = vm("plain");
        assertThat(assignment.ensure(vm, vm.getStatus(), 1)).isEmpty();
        assertThat(vm.getStatus().getHostDevices()).isNull();
        assertThat(HostDeviceAssignment.addresses(vm.getStatus())).isEmpty();
        vm.getStatus().setHostDevices(List.of(new AssignedHostDevice("gpu0", T4, GPU_A)));
        assertThat(HostDeviceAssignment.addresses(vm.getStatus())).containsExactly(GPU_A);
    }
}
