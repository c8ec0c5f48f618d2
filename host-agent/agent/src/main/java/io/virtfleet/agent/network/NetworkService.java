package io.virtfleet.agent.network;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.contract.NetworkStatus;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declarative network API: PUT defines the libvirt network {@code vf-net-<name>}, starts it and sets its autostart
 * (a changed definition is applied by stopping, redefining and starting it again: attached guests lose the link for
 * that moment); GET reports libvirt's view; DELETE stops and undefines it. Only names with the prefix are ever touched,
 * so the host's own networks (such as {@code default}) are out of reach.
 */
public final class NetworkService {
    /** The prefix of every libvirt network the agent owns. */
    public static final String PREFIX = "vf-net-";
    private static final Logger LOG = LoggerFactory.getLogger(NetworkService.class);
    /** virNetworkXMLFlags VIR_NETWORK_XML_INACTIVE. */
    private static final int XML_INACTIVE = 1;

    private final LibvirtConnection libvirt;
    private final HostAllowLists allowed;

    public NetworkService(LibvirtConnection libvirt, HostAllowLists allowed) {
        this.libvirt = libvirt;
        this.allowed = allowed;
    }

    public static String libvirtName(String name) {
        return PREFIX + name;
    }

    public synchronized NetworkStatus put(String name, NetworkRequest request) {
        NetworkXml desired = NetworkRequests.definition(name, request, allowed);
        String xml = LibvirtXml.write(desired);
        return libvirt.call("apply network " + name, connect -> {
            Optional<Network> existing = lookup(connect, name);
            Network network;
            if (existing.isPresent() && matches(existing.get().getXMLDesc(XML_INACTIVE), desired)) {
                network = existing.get();
            } else {
                if (existing.isPresent() && existing.get().isActive() == 1) {
                    existing.get().destroy();
                }
                network = connect.networkDefineXML(xml);
                LOG.info("network={} {} forwardMode={} bridge={}", name, existing.isPresent() ? "redefined" : "defined",
                        request.forwardMode().wireName(), request.bridge());
            }
            if (network.isActive() != 1) {
                network.create();
                LOG.info("network={} active", name);
            }
            if (network.getAutostart() != request.autostart()) {
                network.setAutostart(request.autostart());
            }
            return status(name, network);
        });
    }

    public NetworkStatus get(String name) {
        return libvirt.call("read network " + name, connect -> status(name, lookup(connect, name)
                .orElseThrow(() -> AgentException.notFound(AgentErrorReasons.NETWORK_NOT_FOUND,
                        "network " + name + " is not defined on this host"))));
    }

    /** Stops and undefines the network; absent is fine. */
    public synchronized void delete(String name, String ownerUid) {
        libvirt.call("delete network " + name, connect -> {
            Optional<Network> network = lookup(connect, name);
            if (network.isPresent()) {
                if (network.get().isActive() == 1) {
                    network.get().destroy();
                }
                network.get().undefine();
                LOG.info("network={} deleted", name);
            }
            return null;
        });
    }

    /** Refuses a NIC on a network that this host has not realised or that is not running (409 NetworkNotFound). */
    public static void requireActive(Connect connect, String name) throws LibvirtException {
        Optional<Network> network = lookup(connect, name);
        if (network.isEmpty() || network.get().isActive() != 1) {
            throw notFound(name);
        }
    }

    /** Whether libvirt's definition holds every value the agent sets (libvirt adds a UUID, a MAC and more). */
    static boolean matches(String definedXml, NetworkXml desired) {
        LibvirtXml.Parsed defined = LibvirtXml.parse(definedXml);
        return defined.value("/network/forward/@mode").equals(Optional.ofNullable(desired.forward()).map(NetworkXml.Forward::mode))
                && defined.value("/network/bridge/@name").equals(Optional.of(desired.bridge().name()))
                && defined.value("/network/dns/@enable").equals(Optional.ofNullable(desired.dns()).map(NetworkXml.Dns::enable))
                && defined.value("/network/ip/@address").equals(Optional.ofNullable(desired.ip()).map(NetworkXml.Ip::address))
                && defined.value("/network/ip/@prefix").equals(Optional.ofNullable(desired.ip()).map(ip -> String.valueOf(ip.prefix())))
                && defined.values("/network/ip/dhcp/range/@start").equals(range(desired, NetworkXml.Range::start))
                && defined.values("/network/ip/dhcp/range/@end").equals(range(desired, NetworkXml.Range::end));
    }

    private static List<String> range(NetworkXml desired, java.util.function.Function<NetworkXml.Range, String> end) {
        return desired.ip() == null || desired.ip().dhcp() == null ? List.of() : List.of(end.apply(desired.ip().dhcp().range()));
    }

    private static NetworkStatus status(String name, Network network) throws LibvirtException {
        boolean active = network.isActive() == 1;
        String bridge = LibvirtXml.parse(network.getXMLDesc(0)).value("/network/bridge/@name").orElse(null);
        return new NetworkStatus(name, network.getName(), active, bridge, network.getAutostart());
    }

    private static Optional<Network> lookup(Connect connect, String name) throws LibvirtException {
        return LibvirtErrors.unlessNotFound(() -> connect.networkLookupByName(libvirtName(name)));
    }

    private static AgentException notFound(String name) {
        return AgentException.conflict(AgentErrorReasons.NETWORK_NOT_FOUND,
                "network " + name + " is not realised on this host (or not active)");
    }
}
