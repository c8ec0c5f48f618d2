package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.FirewallRule;
import io.virtfleet.crds.v1alpha1.NicFirewall;
import io.virtfleet.crds.v1alpha1.Patterns;
import io.virtfleet.operator.spec.FieldCheck;
import java.util.List;

/** The CRD's firewall rule constraints, again in the operator (an older CRD or a permissive API server). */
final class FirewallRuleCheck {
    private FirewallRuleCheck() {
    }

    static void check(FieldCheck check, NicFirewall firewall, String field) {
        List<FirewallRule> rules = firewall == null || firewall.getRules() == null ? List.of() : firewall.getRules();
        check.require(rules.size() <= 32, field + ".rules: at most 32");
        for (int r = 0; r < rules.size(); r++) {
            FirewallRule rule = rules.get(r);
            String at = field + ".rules[" + r + "]";
            boolean ports = rule.getProtocol() == FirewallRule.Protocol.tcp || rule.getProtocol() == FirewallRule.Protocol.udp;
            check.require(rule.getDirection() != null && rule.getProtocol() != null && rule.getAction() != null,
                            at + ": direction, protocol and action are required")
                    .require(rule.getPriority() == null || (rule.getPriority() >= 1 && rule.getPriority() <= 1000),
                            at + ".priority must be 1..1000 (after anti-spoofing)")
                    .require(rule.getPortStart() == null || ports, at + ": ports apply to tcp and udp only")
                    .require(validPort(rule.getPortStart()) && validPort(rule.getPortEnd())
                                    && (rule.getPortEnd() == null || (rule.getPortStart() != null
                                    && rule.getPortEnd() >= rule.getPortStart())),
                            at + ": ports must be 1..65535, portEnd at least portStart");
            for (String cidr : rule.getCidrs() == null ? List.<String>of() : rule.getCidrs()) {
                check.pattern(cidr, Patterns.IPV4_CIDR, at + ".cidrs");
            }
        }
    }

    private static boolean validPort(Integer port) {
        return port == null || (port >= 1 && port <= 65535);
    }
}
