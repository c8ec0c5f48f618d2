package io.virtfleet.agent.device;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.HostCapacity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The host's assignable PCI devices: those whose vendor:device IDs the platform allows, each with its resource name
 * and whether a domain holds it. A domain this agent did not define is never named (only "in use"). The same view
 * checks a domain request's addresses before anything is defined.
 */
public final class HostDeviceInventory {
    private final List<AllowedHostDevice> allowed;
    private final NodeDevices devices;

    public HostDeviceInventory(List<AllowedHostDevice> allowed, NodeDevices devices) {
        this.allowed = List.copyOf(allowed);
        this.devices = devices;
    }

    /** A host without devices to offer: lists none and refuses every address as unknown. */
    public static HostDeviceInventory none() {
        return new HostDeviceInventory(List.of(), new NodeDevices() {
            @Override
            public List<PciDevice> pciDevices() {
                return List.of();
            }

            @Override
            public List<HeldDevice> held() {
                return List.of();
            }
        });
    }

    /** Assignable devices by address; none (and no libvirt call) when the platform allows none. */
    public List<HostCapacity.HostDevice> list() {
        if (allowed.isEmpty()) {
            return List.of();
        }
        Map<String, NodeDevices.HeldDevice> held = heldByAddress();
        return devices.pciDevices().stream()
                .flatMap(device -> resourceOf(device).map(resource -> {
                    NodeDevices.HeldDevice holder = held.get(device.address());
                    return new HostCapacity.HostDevice(resource, device.address(), device.iommuGroup(),
                            device.driver(), holder != null,
                            holder != null && holder.definedByAgent() ? holder.domain() : null);
                }).stream())
                .toList();
    }

    /**
     * Refuses (409) an address that is no PCI device of this host ({@code HostDeviceNotFound}), one whose IDs the
     * platform does not allow ({@code HostDeviceNotAllowed}), one another domain holds ({@code HostDeviceInUse}), or
     * one without an IOMMU group ({@code HostDeviceNotAssignable}).
     *
     * @param domain the domain asking; the devices it already holds are its own
     */
    public void check(String domain, List<String> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        Map<String, PciDevice> byAddress = devices.pciDevices().stream()
                .collect(Collectors.toMap(PciDevice::address, Function.identity(), (a, b) -> a));
        Map<String, NodeDevices.HeldDevice> held = heldByAddress();
        for (String address : addresses) {
            PciDevice device = byAddress.get(address);
            if (device == null) {
                throw AgentException.conflict(AgentErrorReasons.HOST_DEVICE_NOT_FOUND,
                        "PCI device " + address + " does not exist on this host");
            }
            if (resourceOf(device).isEmpty()) {
                throw AgentException.conflict(AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED, "PCI device " + address + " ("
                        + device.vendorId() + ":" + device.deviceId() + ") is not among the devices this host allows");
            }
            NodeDevices.HeldDevice holder = held.get(address);
            if (holder != null && !holder.domain().equals(domain)) {
                throw AgentException.conflict(AgentErrorReasons.HOST_DEVICE_IN_USE,
                        "PCI device " + address + " is in use by another domain");
            }
            if (device.iommuGroup() == null) {
                throw AgentException.conflict(AgentErrorReasons.HOST_DEVICE_NOT_ASSIGNABLE, "PCI device " + address
                        + " has no IOMMU group: this host has no IOMMU (or it is off), so vfio cannot assign it");
            }
        }
    }

    private Optional<String> resourceOf(PciDevice device) {
        return allowed.stream().filter(a -> a.matches(device)).map(AllowedHostDevice::resourceName).findFirst();
    }

    private Map<String, NodeDevices.HeldDevice> heldByAddress() {
        return devices.held().stream()
                .collect(Collectors.toMap(NodeDevices.HeldDevice::address, Function.identity(), (a, b) -> a));
    }
}
