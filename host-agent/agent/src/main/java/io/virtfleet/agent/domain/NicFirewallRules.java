package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.NicFirewall;
import java.util.regex.Pattern;

/**
 * Shape of a NIC's firewall rules (400 InvalidRequest): every field present, ports 1..65535 only for tcp and udp,
 * CIDRs as IPv4 {@code a.b.c.d/n}, priorities 1..1000 so a rule always comes after the anti-spoofing chains (libvirt
 * gives those negative priorities) and can never let spoofed traffic through ahead of them.
 */
final class NicFirewallRules {
    private static final Pattern IPV4_CIDR = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(/(3[0-2]|[12]?\\d))?$");
    private static final int MAX_RULES = 64;

    private NicFirewallRules() {
    }

    static void validate(NicFirewall firewall) {
        if (firewall == null || firewall.rules() == null) {
            return;
        }
        if (firewall.rules().size() > MAX_RULES) {
            throw AgentException.invalid("a nic takes at most " + MAX_RULES + " firewall rules");
        }
        for (NicFirewall.Rule rule : firewall.rules()) {
            if (rule == null || rule.direction() == null || rule.protocol() == null || rule.action() == null) {
                throw AgentException.invalid("a firewall rule needs direction, protocol and action");
            }
            if (rule.priority() < NicFirewall.MIN_PRIORITY || rule.priority() > NicFirewall.MAX_PRIORITY) {
                throw AgentException.invalid("firewall rule priority must be " + NicFirewall.MIN_PRIORITY + ".."
                        + NicFirewall.MAX_PRIORITY + " (after anti-spoofing), got " + rule.priority());
            }
            boolean ports = rule.portStart() != null || rule.portEnd() != null;
            if (ports && !rule.protocol().hasPorts()) {
                throw AgentException.invalid("ports apply to tcp and udp only, not " + rule.protocol().wireName());
            }
            if (ports && (rule.portStart() == null || rule.portStart() < 1 || rule.portStart() > 65535
                    || (rule.portEnd() != null && (rule.portEnd() < rule.portStart() || rule.portEnd() > 65535)))) {
                throw AgentException.invalid("firewall rule ports must be 1..65535 with portStart <= portEnd");
            }
            for (String cidr : rule.cidrs() == null ? java.util.List.<String>of() : rule.cidrs()) {
                if (cidr == null || !IPV4_CIDR.matcher(cidr).matches()) {
                    throw AgentException.invalid("firewall rule CIDR '" + cidr + "' is not an IPv4 range a.b.c.d/n");
                }
            }
        }
    }
}
