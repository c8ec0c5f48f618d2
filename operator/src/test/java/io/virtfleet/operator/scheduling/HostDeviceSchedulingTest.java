package io.virtfleet.operator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.HostCapacity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Placement with host devices, against capacities as agents report them (values, no agent): a VM goes only to a node
 * with a free device of each resource it asks for, and one device never goes to two VMs.
 */
class HostDeviceSchedulingTest {
    private static final long GIB = 1L << 30;
    private static final String T4 = "gpu.example.com/t4";
    private static final String GPU_A = "0000:03:00.0";
    private static final String GPU_B = "0000:04:00.0";

    private final Map<String, HostCapacity> hosts = new HashMap<>();
    private final Map<String, Committed> committed = new HashMap<>();

    private NodeScheduler scheduler(String... nodes) {
        return Schedulers.over(List.of(nodes), node -> Map.of(),
                node -> Optional.ofNullable(hosts.get(node)), excluding -> committed);
    }

    private static HostCapacity host(String node, HostCapacity.HostDevice... devices) {
        return new HostCapacity(node, 8, 64 * GIB, 64 * GIB, "pool",
                List.of(new HostCapacity.Pool("pool", 100 * GIB, 100 * GIB)), List.of(), List.of(devices));
    }

    private static HostCapacity.HostDevice free(String address) {
        return new HostCapacity.HostDevice(T4, address, 14, "vfio-pci", false, null);
    }

    private static Demand gpus(String... resources) {
        return new Demand(10 * GIB, null, GIB, 1, null, "s3://b/k", List.of(resources));
    }

    @Test
    void aNodeWithoutTheDeviceIsNeverChosen() {
        hosts.put("hv1", host("hv1"));
        hosts.put("hv2", host("hv2", free(GPU_A)));
        NodeScheduler scheduler = scheduler("hv1", "hv2");

        NodeScheduler.Placement placed = scheduler.place("vm", null, null, null, gpus(T4));

        assertThat(placed.nodeName()).contains("hv2");
        assertThat(placed.deviceAddresses()).containsExactly(GPU_A);
        NodeScheduler.Placement refused = scheduler.place("vm-2", null, "hv1", null, gpus(T4));
        assertThat(refused.nodeName()).as("pinned to the node without the device").isEmpty();
        assertThat(refused.message()).contains("hv1: needs 1 free " + T4 + ", has 0");
        assertThat(scheduler.place("plain", null, null, null, gpus()).deviceAddresses()).isEmpty();
    }

    @Test
    void twoVmsAndOneDeviceLeaveTheSecondUnschedulableNamingTheResource() {
        hosts.put("hv1", host("hv1", free(GPU_A)));
        NodeScheduler scheduler = scheduler("hv1");

        assertThat(scheduler.place("first", null, null, null, gpus(T4)).deviceAddresses()).containsExactly(GPU_A);
        NodeScheduler.Placement second = scheduler.place("second", null, null, null, gpus(T4));

        assertThat(second.nodeName()).isEmpty();
        assertThat(second.reason()).isEqualTo("InsufficientCapacity");
        assertThat(second.message()).contains("hv1: needs 1 free " + T4 + ", has 0");
    }

    /** After an operator restart no reservation is left: what bound VMs record in status is what holds devices. */
    @Test
    void devicesRecordedByBoundVmsAndDevicesInUseAreNotFree() {
        hosts.put("hv1", host("hv1", free(GPU_A), new HostCapacity.HostDevice(T4, GPU_B, 15, "vfio-pci", true, null)));
        committed.put("hv1", Committed.nothing().holdingDevices(List.of(GPU_A)));
        NodeScheduler scheduler = scheduler("hv1");

        NodeScheduler.Placement refused = scheduler.place("new", null, null, null, gpus(T4));
        assertThat(refused.nodeName()).isEmpty();
        assertThat(refused.message()).contains("needs 1 free " + T4 + ", has 0");

        committed.clear();
        assertThat(scheduler.place("new", null, null, null, gpus(T4)).deviceAddresses()).containsExactly(GPU_A);
    }

    @Test
    void twoDevicesOfOneResourceAreTwoDistinctAddresses() {
        hosts.put("hv1", host("hv1", free(GPU_B), free(GPU_A)));
        NodeScheduler scheduler = scheduler("hv1");

        assertThat(scheduler.place("pair", null, null, null, gpus(T4, T4)).deviceAddresses())
                .containsExactly(GPU_A, GPU_B);
        assertThat(scheduler.place("third", null, null, null, gpus(T4)).nodeName()).isEmpty();
    }

    @Test
    void aBoundVmGetsAFreeDeviceOnItsNodeKeepsItAndNeverGetsAnotherVmsDevice() {
        hosts.put("hv1", host("hv1", free(GPU_A), free(GPU_B)));
        NodeScheduler scheduler = scheduler("hv1");

        NodeScheduler.DeviceAssignment first = scheduler.assignDevices("a", "hv1", List.of(), List.of(T4), "ns.a");
        assertThat(first.refused()).isFalse();
        assertThat(first.addresses()).containsExactly(GPU_A);
        // "a" asks again with its device kept: nothing new, and "b" gets the other one.
        assertThat(scheduler.assignDevices("a", "hv1", List.of(GPU_A), List.of(), "ns.a").addresses()).isEmpty();
        assertThat(scheduler.assignDevices("b", "hv1", List.of(), List.of(T4), "ns.b").addresses())
                .containsExactly(GPU_B);

        NodeScheduler.DeviceAssignment none = scheduler.assignDevices("c", "hv1", List.of(), List.of(T4), "ns.c");
        assertThat(none.refused()).isTrue();
        assertThat(none.reason()).isEqualTo("InsufficientCapacity");
        assertThat(none.message()).contains("hv1").contains(T4);

        scheduler.release("a");
        assertThat(scheduler.assignDevices("c", "hv1", List.of(), List.of(T4), "ns.c").addresses())
                .containsExactly(GPU_A);
    }

    /** A device the VM's own domain holds (status lost, domain defined) is its own again, not another VM's. */
    @Test
    void aDeviceHeldByTheVmsOwnDomainGoesBackToIt() {
        hosts.put("hv1", host("hv1", free(GPU_A), new HostCapacity.HostDevice(T4, GPU_B, 15, null, true, "ns.a")));
        NodeScheduler scheduler = scheduler("hv1");

        assertThat(scheduler.assignDevices("a", "hv1", List.of(), List.of(T4), "ns.a").addresses())
                .containsExactly(GPU_B);
        assertThat(scheduler.assignDevices("b", "hv1", List.of(), List.of(T4, T4), "ns.b").refused()).isTrue();
    }

    /**
     * The asking VM's own status record (from the informer) is not another VM's: a bound VM whose entry was renamed
     * gets its device back instead of waiting for it forever.
     */
    @Test
    void aBoundVmsOwnRecordedDeviceIsNotTakenFromIt() {
        hosts.put("hv1", host("hv1", free(GPU_A)));
        Map<String, Committed> recordedByA = Map.of("hv1", Committed.nothing().holdingDevices(List.of(GPU_A)));
        NodeScheduler scheduler = Schedulers.over(List.of("hv1"), node -> Map.of(),
                node -> Optional.ofNullable(hosts.get(node)), excluding -> excluding.contains("a") ? Map.of() : recordedByA);

        assertThat(scheduler.place("a", "hv1", null, null, gpus(T4)).nodeName()).contains("hv1");
        assertThat(scheduler.assignDevices("a", "hv1", List.of(), List.of(T4), "ns.a").addresses())
                .containsExactly(GPU_A);
        assertThat(scheduler.assignDevices("b", "hv1", List.of(), List.of(T4), "ns.b").refused()).isTrue();
    }

    /**
     * An agent's report is input too: an address not in canonical form never reaches status or a domain request; a
     * device without an IOMMU group (a host whose IOMMU is off) cannot be assigned at all.
     */
    @Test
    void aReportedAddressNotInCanonicalFormOrADeviceWithoutIommuIsNeverAssigned() {
        hosts.put("hv1", host("hv1", free("0000:03:00.0'/><disk"), free("0000:3:0.0"),
                new HostCapacity.HostDevice(T4, GPU_A, null, "vfio-pci", false, null)));
        NodeScheduler scheduler = scheduler("hv1");

        assertThat(scheduler.place("vm", null, null, null, gpus(T4)).nodeName()).isEmpty();
    }
}
