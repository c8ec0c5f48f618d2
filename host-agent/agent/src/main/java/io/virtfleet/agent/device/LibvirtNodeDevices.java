package io.virtfleet.agent.device;

import io.virtfleet.agent.contract.PciAddresses;
import io.virtfleet.agent.domain.DomainFingerprint;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The host's PCI devices from libvirt's node device API ({@code virNodeListDevices("pci")}, the call libvirt-java
 * 0.5.4 offers; libvirt's test driver answers it from its node file) and the {@code hostdev} addresses of every
 * domain on the hypervisor connection, in its live and its next-start ({@code VIR_DOMAIN_XML_INACTIVE}) definition.
 */
public final class LibvirtNodeDevices implements NodeDevices {
    private final LibvirtConnection libvirt;

    public LibvirtNodeDevices(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    @Override
    public List<PciDevice> pciDevices() {
        return libvirt.call("list pci node devices", connect -> {
            List<PciDevice> devices = new ArrayList<>();
            for (String name : connect.listDevices("pci")) {
                // A device unplugged between the listing and the lookup is simply not there.
                Optional<String> xml = LibvirtErrors.unlessNotFound(() ->
                        connect.deviceLookupByName(name).getXMLDescription());
                xml.flatMap(PciDevice::fromNodeDeviceXml).ifPresent(devices::add);
            }
            return devices;
        });
    }

    @Override
    public List<HeldDevice> held() {
        return libvirt.call("list host devices of domains", connect -> {
            List<HeldDevice> held = new ArrayList<>();
            for (Domain domain : domains(connect)) {
                // A running domain's live definition is not the one it starts with next time (a changed device list
                // applies at the next start): a device either names is held, or two domains collide at that start.
                String live = domain.getXMLDesc(0);
                String nextStart = domain.getXMLDesc(Domain.XMLFlags.INACTIVE);
                boolean ours = DomainFingerprint.definedByAgent(live) || DomainFingerprint.definedByAgent(nextStart);
                Set<String> addresses = new LinkedHashSet<>(addresses(live));
                addresses.addAll(addresses(nextStart));
                for (String address : addresses) {
                    held.add(new HeldDevice(address, domain.getName(), ours));
                }
            }
            return held;
        });
    }

    /** The PCI addresses of a domain definition's {@code <hostdev type='pci'>} elements. */
    public static List<String> addresses(String domainXml) {
        List<Map<String, String>> sources = LibvirtXml.parse(domainXml)
                .attributes("/domain/devices/hostdev[@type='pci']/source/address");
        return sources.stream().map(a -> PciAddresses.of(Integer.decode(a.getOrDefault("domain", "0")),
                Integer.decode(a.get("bus")), Integer.decode(a.get("slot")), Integer.decode(a.get("function"))))
                .toList();
    }

    private static List<Domain> domains(Connect connect) throws LibvirtException {
        List<Domain> domains = new ArrayList<>();
        for (int id : connect.listDomains()) {
            LibvirtErrors.unlessNotFound(() -> connect.domainLookupByID(id)).ifPresent(domains::add);
        }
        for (String name : connect.listDefinedDomains()) {
            LibvirtErrors.unlessNotFound(() -> connect.domainLookupByName(name)).ifPresent(domains::add);
        }
        return domains;
    }
}
