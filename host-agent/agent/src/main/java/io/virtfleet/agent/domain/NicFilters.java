package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.NicFirewall;
import io.virtfleet.agent.network.NicFirewalls;
import io.virtfleet.agent.network.NwfilterXml;
import java.util.ArrayList;
import java.util.List;

/**
 * What filters a NIC's traffic: libvirt's {@code clean-traffic} (no MAC, IP or ARP spoofing, no other layer-2 traffic)
 * with the NIC's addresses as parameters, referenced directly, or, when the NIC has rules of its own, a filter
 * {@code vf-fw-<domain>-nic<i>} the agent defines that references {@code clean-traffic} and adds the rules. A NIC
 * without static addresses on a libvirt network learns its address from the DHCP exchange
 * ({@code CTRL_IP_LEARNING=dhcp}); elsewhere libvirt learns it from the first packet.
 */
public final class NicFilters {
    public static final String CLEAN_TRAFFIC = "clean-traffic";

    private NicFilters() {
    }

    /**
     * The interface's {@code <filterref>}; null when anti-spoofing is off and there are no rules.
     *
     * @param network the NIC's cloud-init network (its static addresses); null when the seed has none for it
     */
    public static DomainXml.FilterRef binding(String domain, int index, NicFirewall firewall, boolean onLibvirtNetwork,
                                              CloudInitSeed.Network network) {
        boolean rules = hasRules(firewall);
        boolean antiSpoofing = firewall == null || !firewall.antiSpoofingDisabled();
        if (!rules && !antiSpoofing) {
            return null;
        }
        List<DomainXml.Parameter> parameters = new ArrayList<>();
        List<String> addresses = network == null || network.addresses() == null ? List.of() : network.addresses();
        for (String address : addresses) {
            parameters.add(new DomainXml.Parameter("IP", address.contains("/")
                    ? address.substring(0, address.indexOf('/')) : address));
        }
        if (addresses.isEmpty() && onLibvirtNetwork) {
            parameters.add(new DomainXml.Parameter("CTRL_IP_LEARNING", "dhcp"));
        }
        return new DomainXml.FilterRef(rules ? NicFirewalls.filterName(domain, index) : CLEAN_TRAFFIC,
                parameters.isEmpty() ? null : parameters);
    }

    /** NIC {@code index}'s own filter, or null when it has no rules (then it references clean-traffic directly). */
    public static NwfilterXml definition(String domain, int index, NicFirewall firewall) {
        if (!hasRules(firewall)) {
            return null;
        }
        List<NwfilterXml.Rule> rules = new ArrayList<>();
        for (NicFirewall.Rule rule : firewall.rules()) {
            rules.addAll(rules(rule));
        }
        return new NwfilterXml(NicFirewalls.filterName(domain, index), "root",
                firewall.antiSpoofingDisabled() ? null : List.of(new NwfilterXml.FilterRef(CLEAN_TRAFFIC)), rules);
    }

    static boolean hasRules(NicFirewall firewall) {
        return firewall != null && firewall.rules() != null && !firewall.rules().isEmpty();
    }

    /** One libvirt rule per CIDR (none: one for any address); the CIDR is the far end: source in, destination out. */
    private static List<NwfilterXml.Rule> rules(NicFirewall.Rule rule) {
        List<String> cidrs = rule.cidrs() == null || rule.cidrs().isEmpty() ? java.util.Collections.singletonList(null)
                : rule.cidrs();
        List<NwfilterXml.Rule> rendered = new ArrayList<>();
        for (String cidr : cidrs) {
            if (rule.direction() == NicFirewall.Direction.INOUT && cidr != null) {
                rendered.add(rule(rule, NicFirewall.Direction.IN, cidr));
                rendered.add(rule(rule, NicFirewall.Direction.OUT, cidr));
            } else {
                rendered.add(rule(rule, rule.direction(), cidr));
            }
        }
        return rendered;
    }

    private static NwfilterXml.Rule rule(NicFirewall.Rule rule, NicFirewall.Direction direction, String cidr) {
        String address = cidr == null ? null : cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        Integer mask = cidr == null ? null : cidr.contains("/") ? Integer.valueOf(cidr.substring(cidr.indexOf('/') + 1)) : 32;
        boolean remoteIsSource = direction == NicFirewall.Direction.IN;
        Integer portStart = rule.protocol().hasPorts() ? rule.portStart() : null;
        Integer portEnd = rule.protocol().hasPorts() ? (rule.portEnd() == null ? rule.portStart() : rule.portEnd()) : null;
        NwfilterXml.Match match = new NwfilterXml.Match(remoteIsSource ? address : null, remoteIsSource ? mask : null,
                remoteIsSource ? null : address, remoteIsSource ? null : mask, portStart, portEnd);
        return new NwfilterXml.Rule(rule.action().wireName(), direction.wireName(), rule.priority(),
                rule.protocol() == NicFirewall.Protocol.TCP ? match : null,
                rule.protocol() == NicFirewall.Protocol.UDP ? match : null,
                rule.protocol() == NicFirewall.Protocol.ICMP ? match : null,
                rule.protocol() == NicFirewall.Protocol.ALL ? match : null);
    }
}
