package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.AssignedHostDevice;
import io.virtfleet.crds.v1alpha1.HostDeviceRequest;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The VM's host devices on its node, recorded in {@code status.hostDevices}: a device once recorded stays the VM's
 * (an operator restart never reshuffles devices; an entry renamed keeps its address), a device the spec no longer
 * asks for is given back, a new one is taken from the node's free devices ({@link NodeScheduler#assignDevices}). A VM
 * whose node has no free device of a resource waits (Pending, {@code Scheduled=False}) with a message naming the
 * resource.
 */
final class HostDeviceAssignment {
    private final NodeScheduler scheduler;
    private final Conditions conditions;

    HostDeviceAssignment(NodeScheduler scheduler, Conditions conditions) {
        this.scheduler = scheduler;
        this.conditions = conditions;
    }

    /** After the VM is bound to its node: its devices are assigned, or the outcome of a VM that must wait. */
    Optional<Outcome<VirtualMachinePhase>> ensure(VirtualMachine vm, VirtualMachineStatus status, long generation) {
        List<HostDeviceRequest> wanted = requests(vm.getSpec());
        List<AssignedHostDevice> recorded = status.getHostDevices() == null ? List.of() : status.getHostDevices();
        List<AssignedHostDevice> kept = kept(wanted, recorded);
        List<HostDeviceRequest> missing = wanted.stream()
                .filter(w -> kept.stream().noneMatch(a -> a.getName().equals(w.getName()))).toList();
        if (wanted.isEmpty() && recorded.isEmpty()) {
            return Optional.empty();
        }
        NodeScheduler.DeviceAssignment assignment = scheduler.assignDevices(key(vm), status.getNodeName(),
                kept.stream().map(AssignedHostDevice::getAddress).toList(),
                missing.stream().map(HostDeviceRequest::getResourceName).toList(), AgentNames.of(vm));
        if (assignment.refused()) {
            conditions.set(status, generation, ConditionType.Scheduled, false, assignment.reason(),
                    assignment.message());
            return Optional.of(Outcome.notReady(VirtualMachinePhase.Pending, assignment.reason(),
                    assignment.message(), VirtualMachineReconciler.RETRY_AFTER_FAILURE));
        }
        List<AssignedHostDevice> all = new ArrayList<>(kept);
        all.addAll(assigned(missing, assignment.addresses()));
        status.setHostDevices(all.isEmpty() ? null : inSpecOrder(wanted, all));
        if (!missing.isEmpty() && !Conditions.isTrue(status, ConditionType.Scheduled)) {
            conditions.set(status, generation, ConditionType.Scheduled, true, Reason.BOUND, "bound to node "
                    + status.getNodeName() + " with its host devices");
        }
        return Optional.empty();
    }

    /**
     * The recorded devices the spec still asks for: an entry with the same name and resource keeps its address; an
     * entry renamed (its name new) then takes an address the VM recorded for the same resource under a name the spec
     * no longer has, so a rename never moves or loses a device.
     */
    private static List<AssignedHostDevice> kept(List<HostDeviceRequest> wanted, List<AssignedHostDevice> recorded) {
        List<AssignedHostDevice> unclaimed = new ArrayList<>(recorded.stream().filter(a -> a.getAddress() != null)
                .toList());
        List<AssignedHostDevice> kept = new ArrayList<>();
        List<HostDeviceRequest> renamed = new ArrayList<>();
        for (HostDeviceRequest request : wanted) {
            claim(unclaimed, a -> a.getName().equals(request.getName())
                    && a.getResourceName().equals(request.getResourceName()))
                    .ifPresentOrElse(kept::add, () -> renamed.add(request));
        }
        for (HostDeviceRequest request : renamed) {
            claim(unclaimed, a -> a.getResourceName().equals(request.getResourceName())).ifPresent(a -> kept.add(
                    new AssignedHostDevice(request.getName(), request.getResourceName(), a.getAddress())));
        }
        return kept;
    }

    private static Optional<AssignedHostDevice> claim(List<AssignedHostDevice> unclaimed,
                                                      Predicate<AssignedHostDevice> fits) {
        Optional<AssignedHostDevice> claimed = unclaimed.stream().filter(fits).findFirst();
        claimed.ifPresent(unclaimed::remove);
        return claimed;
    }

    /** The PCI addresses the domain gets, in spec order. */
    static List<String> addresses(VirtualMachineStatus status) {
        return status.getHostDevices() == null ? List.of()
                : status.getHostDevices().stream().map(AssignedHostDevice::getAddress).toList();
    }

    /** One resource name per device the spec asks for, in spec order (the scheduler's demand). */
    static List<String> resourceNames(VirtualMachineSpec spec) {
        return requests(spec).stream().map(HostDeviceRequest::getResourceName).toList();
    }

    /** Records the devices a new placement chose (one address per request, in spec order). */
    static void record(VirtualMachineSpec spec, VirtualMachineStatus status, List<String> addresses) {
        List<AssignedHostDevice> assigned = assigned(requests(spec), addresses);
        status.setHostDevices(assigned.isEmpty() ? null : assigned);
    }

    private static List<AssignedHostDevice> assigned(List<HostDeviceRequest> requests, List<String> addresses) {
        List<AssignedHostDevice> assigned = new ArrayList<>();
        Iterator<String> address = addresses.iterator();
        for (HostDeviceRequest request : requests) {
            if (address.hasNext()) {
                assigned.add(new AssignedHostDevice(request.getName(), request.getResourceName(), address.next()));
            }
        }
        return assigned;
    }

    private static List<AssignedHostDevice> inSpecOrder(List<HostDeviceRequest> wanted, List<AssignedHostDevice> all) {
        return wanted.stream().flatMap(w -> all.stream().filter(a -> a.getName().equals(w.getName())).limit(1))
                .toList();
    }

    private static List<HostDeviceRequest> requests(VirtualMachineSpec spec) {
        return spec.getHostDevices() == null ? List.of() : spec.getHostDevices();
    }

    private static String key(VirtualMachine vm) {
        return ClusterCommitments.key("VirtualMachine", vm.getMetadata().getNamespace(), vm.getMetadata().getName());
    }
}
