package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

/**
 * A domain as libvirt reports it, turned into the agent's {@link DomainStatus}: phase, whether the running instance
 * lags its definition (restart required), the VNC socket, the NICs' MACs, live hardware and observed addresses.
 * Observed values only, never echoed from the request.
 */
final class DomainStatusReader {
    private DomainStatusReader() {
    }

    /** @param instanceId the cloud-init instance-id of the domain's current seed, or null */
    static DomainStatus status(String name, Domain domain, String instanceId) throws LibvirtException {
        DomainPhase phase = phase(domain.getInfo().state);
        boolean restartRequired = false;
        String vncAddress = null;
        DomainStatus.LiveHardware hardware = null;
        if (domain.isActive() == 1) {
            String live = domain.getXMLDesc(0);
            String inactive = domain.getXMLDesc(DomainService.XML_INACTIVE);
            restartRequired = !DomainFingerprint.read(live).equals(DomainFingerprint.read(inactive))
                    || LiveResize.pending(domain, inactive);
            vncAddress = vncAddress(live);
            hardware = LiveResize.observe(domain);
        }
        String xml = domain.getXMLDesc(0);
        return new DomainStatus(name, domain.getUUIDString(), phase, restartRequired, vncAddress, instanceId,
                macAddresses(xml), hardware, ObservedAddresses.of(domain, xml));
    }

    /** The NICs' MACs as libvirt holds them (observed, not echoed from the request), in guest order. */
    static List<String> macAddresses(String xml) {
        return LibvirtXml.parse(xml).values("/domain/devices/interface/mac/@address");
    }

    private static String vncAddress(String liveXml) {
        LibvirtXml.Parsed xml = LibvirtXml.parse(liveXml);
        return xml.value("/domain/devices/graphics[@type='vnc']/@socket").map(socket -> "unix:" + socket).orElse(null);
    }

    static DomainPhase phase(DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainPhase.Running;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> DomainPhase.Paused;
            case VIR_DOMAIN_CRASHED -> DomainPhase.Crashed;
            case VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_NOSTATE -> DomainPhase.Stopped;
        };
    }
}
