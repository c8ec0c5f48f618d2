package io.virtfleet.operator.virtualmachine;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.NicFirewall;
import io.virtfleet.crds.v1alpha1.FirewallRule;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A spec NIC as the agent gets it: network or bridge, a stable MAC for DHCP, its firewall rules. */
class NicMapperTest {
    @Test
    void aDhcpNicOnANetworkGetsAStableMacOfItsOwn() {
        NetworkInterface nic = new NetworkInterface();
        nic.setNetwork("team-a-private");
        nic.setAddressing(NetworkInterface.Addressing.DHCP);

        DomainRequest.Nic mapped = NicMapper.map("uid-1", 0, nic);

        assertThat(mapped.network()).isEqualTo("team-a-private");
        assertThat(mapped.bridge()).isNull();
        assertThat(mapped.mac()).matches("52:54:00(:[0-9a-f]{2}){3}")
                .isEqualTo(NicMapper.map("uid-1", 0, nic).mac())
                .isNotEqualTo(NicMapper.map("uid-1", 1, nic).mac())
                .isNotEqualTo(NicMapper.map("uid-2", 0, nic).mac());
        assertThat(mapped.firewall()).as("anti-spoofing by default: the agent's").isNull();
    }

    @Test
    void aStaticNicKeepsItsAddressDerivedMacAndRulesGetTheirDefaults() {
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge("br0");
        nic.setIp("203.0.113.10/24");
        FirewallRule rule = new FirewallRule();
        rule.setDirection(FirewallRule.Direction.in);
        rule.setProtocol(FirewallRule.Protocol.tcp);
        rule.setPortStart(443);
        rule.setAction(FirewallRule.Action.accept);
        io.virtfleet.crds.v1alpha1.NicFirewall firewall = new io.virtfleet.crds.v1alpha1.NicFirewall();
        firewall.setRules(List.of(rule));
        nic.setFirewall(firewall);

        DomainRequest.Nic mapped = NicMapper.map("uid-1", 0, nic);

        assertThat(mapped.mac()).isEqualTo("be:ef:cb:00:71:0a");
        assertThat(mapped.firewall()).isEqualTo(new NicFirewall(false, List.of(new NicFirewall.Rule(
                NicFirewall.Direction.IN, NicFirewall.Protocol.TCP, 443, null, null, NicFirewall.Action.ACCEPT, 500))));
    }
}
