package io.virtfleet.agent.network;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.contract.NetworkRequest.ForwardMode;
import java.util.regex.Pattern;

/**
 * Checks a network request before libvirt sees it: shape (400 InvalidRequest), then the platform's allow-lists (409:
 * network name, forward mode, bridge), and renders the libvirt definition.
 */
final class NetworkRequests {
    private static final Pattern BRIDGE = Pattern.compile("^" + DomainRequest.Nic.BRIDGE + "$");

    private NetworkRequests() {
    }

    static NetworkXml definition(String name, NetworkRequest request, HostAllowLists allowed) {
        validate(request);
        if (!allowed.networkAllowed(name)) {
            throw AgentException.conflict(AgentErrorReasons.NETWORK_NOT_ALLOWED,
                    "network " + name + " is not among the networks this host allows " + allowed.networks());
        }
        if (!allowed.forwardModes().contains(request.forwardMode())) {
            throw AgentException.conflict(AgentErrorReasons.FORWARD_MODE_NOT_ALLOWED, "forward mode "
                    + request.forwardMode().wireName() + " is not among the modes this host allows "
                    + allowed.forwardModes().stream().map(ForwardMode::wireName).sorted().toList());
        }
        if (!allowed.bridgeAllowed(request.bridge())) {
            throw AgentException.conflict(AgentErrorReasons.BRIDGE_NOT_ALLOWED, "bridge " + request.bridge()
                    + " is not among the bridges this host allows " + allowed.bridges());
        }
        String libvirtName = NetworkService.libvirtName(name);
        if (request.forwardMode() == ForwardMode.BRIDGE) {
            return new NetworkXml(libvirtName, new NetworkXml.Forward("bridge"),
                    new NetworkXml.Bridge(request.bridge(), null, null), null, null);
        }
        NetworkXml.Dhcp dhcp = request.dhcp() == null ? null
                : new NetworkXml.Dhcp(new NetworkXml.Range(request.dhcp().start(), request.dhcp().end()));
        return new NetworkXml(libvirtName,
                request.forwardMode() == ForwardMode.ISOLATED ? null : new NetworkXml.Forward(request.forwardMode().wireName()),
                new NetworkXml.Bridge(request.bridge(), "on", "0"),
                new NetworkXml.Dns(request.dns() ? "yes" : "no"),
                new NetworkXml.Ip(request.ipv4Address(), request.ipv4Prefix(), dhcp));
    }

    private static void validate(NetworkRequest request) {
        if (request == null || request.forwardMode() == null) {
            throw AgentException.invalid("a network request needs a forwardMode (nat, route, isolated or bridge)");
        }
        if (request.bridge() == null || !BRIDGE.matcher(request.bridge()).matches()) {
            throw AgentException.invalid("bridge '" + request.bridge() + "' is not a valid interface name");
        }
        if (request.forwardMode() == ForwardMode.BRIDGE) {
            if (request.ipv4Address() != null || request.dhcp() != null) {
                throw AgentException.invalid("a bridge-mode network has no address and no DHCP: the host bridge's"
                        + " own network serves them");
            }
            return;
        }
        if (request.ipv4Prefix() == null || request.ipv4Prefix() < 8 || request.ipv4Prefix() > 30) {
            throw AgentException.invalid("ipv4Prefix must be 8..30, got " + request.ipv4Prefix());
        }
        try {
            Ipv4 host = Ipv4.parse("ipv4Address", request.ipv4Address());
            if (request.dhcp() != null) {
                Ipv4 start = Ipv4.parse("dhcp.start", request.dhcp().start());
                Ipv4 end = Ipv4.parse("dhcp.end", request.dhcp().end());
                if (!start.within(host, request.ipv4Prefix()) || !end.within(host, request.ipv4Prefix())
                        || start.value() > end.value()) {
                    throw new IllegalArgumentException("the DHCP range " + start + "-" + end + " must lie inside "
                            + host + "/" + request.ipv4Prefix() + " with start <= end");
                }
                if (host.value() >= start.value() && host.value() <= end.value()) {
                    throw new IllegalArgumentException("the DHCP range must not include the host's address " + host);
                }
            }
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid(e.getMessage());
        }
    }
}
