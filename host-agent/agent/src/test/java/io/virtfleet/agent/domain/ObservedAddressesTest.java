package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.ObservedAddress;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.libvirt.DomainInterface;

/**
 * Addresses come from libvirt, never from the request: the IP parameters of each interface's filter in the live
 * definition, and the DHCP leases libvirt answers ({@code virDomainInterfaceAddresses}, lease source) as libvirt-java
 * returns them.
 */
class ObservedAddressesTest {
    @Test
    void filterParametersAreTheStaticAddressesOfTheirInterface() {
        String xml = """
                <domain type="qemu"><devices>
                  <interface type="network"><mac address="52:54:00:AA:00:01"/><source network="vf-net-a"/>
                    <filterref filter="clean-traffic"><parameter name="CTRL_IP_LEARNING" value="dhcp"/></filterref></interface>
                  <interface type="bridge"><mac address="be:ef:c6:33:64:0a"/><source bridge="br0"/>
                    <filterref filter="clean-traffic"><parameter name="IP" value="198.51.100.10"/></filterref></interface>
                </devices></domain>
                """;

        assertThat(ObservedAddresses.filterAddresses(xml)).containsExactly(
                new ObservedAddress("be:ef:c6:33:64:0a", "198.51.100.10", ObservedAddress.Source.STATIC));
    }

    @Test
    void leasesAreMappedPerAddressWithTheirInterfacesMac() throws Exception {
        DomainInterface nic = new DomainInterface();
        nic.name = "vnet3";
        nic.hwAddr = "52:54:00:AA:00:01";
        nic.addrs = List.of(new DomainInterface.InterfaceAddress(InetAddress.getByName("192.0.2.101"), 24));
        DomainInterface noLease = new DomainInterface();
        noLease.name = "vnet4";
        noLease.hwAddr = "52:54:00:aa:00:02";

        assertThat(ObservedAddresses.leases(List.of(nic, noLease))).containsExactly(
                new ObservedAddress("52:54:00:aa:00:01", "192.0.2.101", ObservedAddress.Source.DHCP_LEASE));
    }
}
