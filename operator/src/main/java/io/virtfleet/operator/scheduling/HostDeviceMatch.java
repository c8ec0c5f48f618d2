package io.virtfleet.operator.scheduling;

import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.contract.PciAddresses;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which free host devices of a node serve a demand: a device is free when its agent reports it (so its model is
 * allowed there) with an IOMMU group, no domain holds it, and no VirtualMachine has it assigned or reserved. Devices are taken in address
 * order, so the same state always gives the same answer.
 */
final class HostDeviceMatch {
    private HostDeviceMatch() {
    }

    /**
     * @param resourceNames one entry per device asked for
     * @param taken         addresses assigned to or reserved by VirtualMachines on this node
     * @param ownDomain     the asking VM's domain: devices it already holds are its own (taken first); null for none
     * @return one address per entry of {@code resourceNames}, in its order; empty when the node lacks a device
     */
    static Optional<List<String>> pick(HostCapacity host, List<String> resourceNames, Set<String> taken,
                                       String ownDomain) {
        Set<String> used = new HashSet<>(taken);
        List<String> picked = new ArrayList<>();
        for (String resource : resourceNames) {
            Optional<String> free = free(host, resource, used, ownDomain).stream().findFirst();
            if (free.isEmpty()) {
                return Optional.empty();
            }
            used.add(free.get());
            picked.add(free.get());
        }
        return Optional.of(picked);
    }

    /** Why the node cannot serve the demand, naming each resource short of devices (free / asked). */
    static String shortfall(HostCapacity host, List<String> resourceNames, Set<String> taken) {
        Map<String, Integer> asked = new TreeMap<>();
        resourceNames.forEach(r -> asked.merge(r, 1, Integer::sum));
        List<String> missing = new ArrayList<>();
        asked.forEach((resource, count) -> {
            int free = free(host, resource, taken, null).size();
            if (free < count) {
                missing.add("needs " + count + " free " + resource + ", has " + free);
            }
        });
        return String.join(", ", missing);
    }

    private static List<String> free(HostCapacity host, String resource, Set<String> taken, String ownDomain) {
        Comparator<HostCapacity.HostDevice> ownFirst = Comparator.comparing(d -> !d.inUse());
        return host.hostDevices().stream()
                // An address not in canonical form is never assigned (status and the agent's re-check use that
                // form), nor a device without an IOMMU group (vfio cannot assign it).
                .filter(d -> resource.equals(d.resourceName()) && PciAddresses.valid(d.address())
                        && d.iommuGroup() != null
                        && !taken.contains(d.address())
                        && (!d.inUse() || ownDomain != null && ownDomain.equals(d.usedBy())))
                .sorted(ownFirst.thenComparing(HostCapacity.HostDevice::address))
                .map(HostCapacity.HostDevice::address).toList();
    }
}
