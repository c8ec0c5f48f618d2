package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.NicFirewall;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What filters each NIC: clean-traffic with its addresses by default, its own filter when it has rules. */
class NicFiltersTest {
    private static final CloudInitSeed.Network STATIC = new CloudInitSeed.Network(null, List.of("198.51.100.10/24"),
            null, List.of(), false);

    @Test
    void aNicWithoutFirewallGetsCleanTrafficWithItsStaticAddress() {
        var ref = NicFilters.binding("default.web01", 0, null, false, STATIC);
        assertThat(ref.filter()).isEqualTo("clean-traffic");
        assertThat(ref.parameters()).extracting("name", "value").containsExactly(
                org.assertj.core.groups.Tuple.tuple("IP", "198.51.100.10"));
    }

    @Test
    void aDhcpNicOnALibvirtNetworkLearnsItsAddressFromTheDhcpExchange() {
        var ref = NicFilters.binding("default.web01", 0, null, true, new CloudInitSeed.Network(null, List.of(), null,
                List.of(), false));
        assertThat(ref.parameters()).extracting("name", "value").containsExactly(
                org.assertj.core.groups.Tuple.tuple("CTRL_IP_LEARNING", "dhcp"));
    }

    @Test
    void antiSpoofingOffWithoutRulesLeavesTheNicUnfiltered() {
        assertThat(NicFilters.binding("default.web01", 1, new NicFirewall(true, List.of()), false, STATIC)).isNull();
        assertThat(NicFilters.definition("default.web01", 1, new NicFirewall(true, List.of()))).isNull();
    }

    @Test
    void rulesBecomeTheNicsOwnFilterThatKeepsCleanTrafficFirst() {
        NicFirewall firewall = new NicFirewall(false, List.of(
                new NicFirewall.Rule(NicFirewall.Direction.IN, NicFirewall.Protocol.TCP, 80, 81,
                        List.of("198.51.100.0/24", "203.0.113.7"), NicFirewall.Action.ACCEPT, 100),
                new NicFirewall.Rule(NicFirewall.Direction.INOUT, NicFirewall.Protocol.ICMP, null, null,
                        List.of("192.0.2.0/24"), NicFirewall.Action.DROP, 900)));

        assertThat(NicFilters.binding("default.web01", 2, firewall, false, STATIC).filter())
                .isEqualTo("vf-fw-default.web01-nic2");
        LibvirtXml.Parsed xml = LibvirtXml.parse(LibvirtXml.write(NicFilters.definition("default.web01", 2, firewall)));

        assertThat(xml.value("/filter/@name")).contains("vf-fw-default.web01-nic2");
        assertThat(xml.value("/filter/@chain")).contains("root");
        assertThat(xml.values("/filter/filterref/@filter")).containsExactly("clean-traffic");
        assertThat(xml.attributes("/filter/rule/tcp")).containsExactly(
                Map.of("srcipaddr", "198.51.100.0", "srcipmask", "24", "dstportstart", "80", "dstportend", "81"),
                Map.of("srcipaddr", "203.0.113.7", "srcipmask", "32", "dstportstart", "80", "dstportend", "81"));
        // inout with a CIDR: the far end is the source coming in and the destination going out
        assertThat(xml.attributes("/filter/rule[icmp]")).extracting(a -> a.get("direction")).containsExactly("in", "out");
        assertThat(xml.attributes("/filter/rule/icmp")).containsExactly(
                Map.of("srcipaddr", "192.0.2.0", "srcipmask", "24"), Map.of("dstipaddr", "192.0.2.0", "dstipmask", "24"));
    }

    @Test
    void anOptedOutNicWithRulesGetsOnlyItsRules() {
        NicFirewall firewall = new NicFirewall(true, List.of(new NicFirewall.Rule(NicFirewall.Direction.OUT,
                NicFirewall.Protocol.ALL, null, null, List.of(), NicFirewall.Action.DROP, 1000)));
        LibvirtXml.Parsed xml = LibvirtXml.parse(LibvirtXml.write(NicFilters.definition("default.web01", 0, firewall)));
        assertThat(xml.values("/filter/filterref/@filter")).isEmpty();
        assertThat(xml.attributes("/filter/rule")).containsExactly(
                Map.of("action", "drop", "direction", "out", "priority", "1000"));
    }
}
