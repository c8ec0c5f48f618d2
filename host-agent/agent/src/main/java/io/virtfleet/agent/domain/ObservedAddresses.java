package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.agent.contract.ObservedAddress;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.libvirt.Domain;
import org.libvirt.DomainInterface;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses libvirt holds for a domain's NICs, never the request's: the {@code IP} parameters of each interface's
 * traffic filter in the live definition (what libvirt enforces: {@code static}), and, for a running domain on libvirt
 * networks, the network's DHCP leases ({@code virDomainInterfaceAddresses} with the lease source: {@code dhcp-lease}).
 */
final class ObservedAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedAddresses.class);
    /** virDomainInterfaceAddressesSource VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE. */
    private static final int SOURCE_LEASE = 0;

    private ObservedAddresses() {
    }

    static List<ObservedAddress> of(Domain domain, String liveXml) throws LibvirtException {
        List<ObservedAddress> addresses = new ArrayList<>(filterAddresses(liveXml));
        List<String> networkMacs = LibvirtXml.parse(liveXml)
                .values("/domain/devices/interface[@type='network']/mac/@address").stream()
                .map(MacAddresses::normalize).toList();
        if (!networkMacs.isEmpty() && domain.isActive() == 1) {
            try {
                // only NICs on libvirt networks have leases there (libvirt's test driver invents some for the others)
                addresses.addAll(leases(domain.interfaceAddresses(SOURCE_LEASE, 0)).stream()
                        .filter(lease -> networkMacs.contains(lease.mac())).toList());
            } catch (LibvirtException | IllegalStateException e) {
                // no lease yet (or the network's dnsmasq is not answering): the next read sees it
                LOG.debug("domain={} no DHCP lease: {}", domain.getName(), e.getMessage());
            }
        }
        return addresses;
    }

    /** The {@code IP} parameters of every interface's filterref, with the interface's MAC. */
    static List<ObservedAddress> filterAddresses(String liveXml) {
        LibvirtXml.Parsed xml = LibvirtXml.parse(liveXml);
        List<String> macs = xml.values("/domain/devices/interface/mac/@address");
        List<ObservedAddress> addresses = new ArrayList<>();
        for (int i = 0; i < macs.size(); i++) {
            for (Map<String, String> parameter : xml.attributes(
                    "/domain/devices/interface[" + (i + 1) + "]/filterref/parameter[@name='IP']")) {
                addresses.add(new ObservedAddress(MacAddresses.normalize(macs.get(i)), parameter.get("value"),
                        ObservedAddress.Source.STATIC));
            }
        }
        return addresses;
    }

    /** What libvirt answered for the lease source, as one entry per address. */
    static List<ObservedAddress> leases(Collection<DomainInterface> interfaces) {
        List<ObservedAddress> addresses = new ArrayList<>();
        for (DomainInterface nic : interfaces) {
            if (nic.addrs == null || nic.hwAddr == null) {
                continue;
            }
            for (DomainInterface.InterfaceAddress address : nic.addrs) {
                addresses.add(new ObservedAddress(MacAddresses.normalize(nic.hwAddr), address.address.getHostAddress(),
                        ObservedAddress.Source.DHCP_LEASE));
            }
        }
        return addresses;
    }
}
