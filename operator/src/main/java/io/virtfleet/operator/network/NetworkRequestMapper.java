package io.virtfleet.operator.network;

import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.crds.v1alpha1.VirtualNetworkSpec;

/** The one converter from a VirtualNetwork spec to the agent's {@link NetworkRequest}. */
final class NetworkRequestMapper {
    private NetworkRequestMapper() {
    }

    static NetworkRequest map(VirtualNetworkSpec spec) {
        String ipv4 = spec.getIpv4();
        String address = ipv4 == null ? null : ipv4.substring(0, ipv4.indexOf('/'));
        Integer prefix = ipv4 == null ? null : Integer.valueOf(ipv4.substring(ipv4.indexOf('/') + 1));
        NetworkRequest.DhcpRange dhcp = spec.getDhcp() == null ? null
                : new NetworkRequest.DhcpRange(spec.getDhcp().getStart(), spec.getDhcp().getEnd());
        return new NetworkRequest(NetworkRequest.ForwardMode.of(spec.getForwardMode().name()), spec.getBridge(),
                address, prefix, dhcp, Boolean.TRUE.equals(spec.getDns()), !Boolean.FALSE.equals(spec.getAutostart()));
    }
}
