package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.ObservedAddress;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.ObservedInterface;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import java.util.List;

/**
 * status.interfaces and status.ipAddresses from what the agent observed in libvirt (filter parameters, DHCP leases),
 * ipAddresses in NIC order for the IP column. An agent that predates observed addresses leaves the spec's static
 * addresses, as before.
 */
final class ObservedInterfaces {
    private ObservedInterfaces() {
    }

    static void mirror(VirtualMachineStatus status, List<NetworkInterface> nics, DomainStatus observed) {
        if (observed.addresses() == null) {
            status.setIpAddresses(nics.stream().filter(n -> n.getIp() != null).map(n -> n.getIp().split("/")[0]).toList());
            return;
        }
        status.setInterfaces(observed.addresses().stream()
                .map(a -> new ObservedInterface(a.mac(), a.ip(), a.source().wireName())).toList());
        List<String> macs = observed.macAddresses() == null ? List.of() : observed.macAddresses();
        status.setIpAddresses(macs.stream().flatMap(mac -> observed.addresses().stream()
                .filter(a -> a.mac().equalsIgnoreCase(mac)).map(ObservedAddress::ip).limit(1)).toList());
    }
}
