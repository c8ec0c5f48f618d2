package io.virtfleet.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.contract.NetworkRequest.ForwardMode;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A network request becomes libvirt's network XML only inside the host's allow-lists and with sound addresses. */
class NetworkRequestsTest {
    private static final HostAllowLists ALLOWED = new HostAllowLists(List.of(), List.of("vfnet-*", "br0"), List.of(),
            List.of("tenant-*"), Set.of(ForwardMode.NAT, ForwardMode.ISOLATED, ForwardMode.BRIDGE), false);

    @Test
    void aNatNetworkWithDhcpIsRenderedWithThePrefixedName() {
        NetworkRequest request = new NetworkRequest(ForwardMode.NAT, "vfnet-a", "192.0.2.1", 24,
                new NetworkRequest.DhcpRange("192.0.2.100", "192.0.2.200"), true, true);

        String xml = LibvirtXml.write(NetworkRequests.definition("tenant-a", request, ALLOWED));

        assertThat(xml).isEqualToIgnoringWhitespace("""
                <network>
                  <name>vf-net-tenant-a</name>
                  <forward mode="nat"/>
                  <bridge name="vfnet-a" stp="on" delay="0"/>
                  <dns enable="yes"/>
                  <ip address="192.0.2.1" prefix="24"><dhcp><range start="192.0.2.100" end="192.0.2.200"/></dhcp></ip>
                </network>
                """);
        assertThat(NetworkService.matches(xml, NetworkRequests.definition("tenant-a", request, ALLOWED))).isTrue();
    }

    @Test
    void aBridgeModeNetworkHasNoAddressAndNoStp() {
        String xml = LibvirtXml.write(NetworkRequests.definition("tenant-lan",
                new NetworkRequest(ForwardMode.BRIDGE, "br0", null, null, null, false, true), ALLOWED));
        assertThat(xml).isEqualToIgnoringWhitespace("""
                <network><name>vf-net-tenant-lan</name><forward mode="bridge"/><bridge name="br0"/></network>
                """);
    }

    @Test
    void refusalsNameWhatIsWrong() {
        refused("other", isolated("vfnet-a"), "NetworkNotAllowed");
        refused("tenant-a", new NetworkRequest(ForwardMode.ROUTE, "vfnet-a", "192.0.2.1", 24, null, false, true),
                "ForwardModeNotAllowed");
        refused("tenant-a", isolated("virbr0"), "BridgeNotAllowed");
        refused("tenant-a", isolated("vfnet-a\"/><x"), "InvalidRequest");
        refused("tenant-a", new NetworkRequest(ForwardMode.ISOLATED, "vfnet-a", "192.0.2.1", 24,
                new NetworkRequest.DhcpRange("192.0.2.1", "192.0.2.20"), false, true), "InvalidRequest");
        refused("tenant-a", new NetworkRequest(ForwardMode.ISOLATED, "vfnet-a", "192.0.2.1", 24,
                new NetworkRequest.DhcpRange("192.0.3.1", "192.0.3.20"), false, true), "InvalidRequest");
        refused("tenant-a", new NetworkRequest(ForwardMode.ISOLATED, "vfnet-a", "localhost", 24, null, false, true),
                "InvalidRequest");
        refused("tenant-a", new NetworkRequest(ForwardMode.BRIDGE, "br0", "192.0.2.1", 24, null, false, true),
                "InvalidRequest");
    }

    private static NetworkRequest isolated(String bridge) {
        return new NetworkRequest(ForwardMode.ISOLATED, bridge, "192.0.2.1", 24, null, false, true);
    }

    private static void refused(String name, NetworkRequest request, String reason) {
        assertThatThrownBy(() -> NetworkRequests.definition(name, request, ALLOWED))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
