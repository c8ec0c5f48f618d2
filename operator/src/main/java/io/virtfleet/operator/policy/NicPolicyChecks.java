package io.virtfleet.operator.policy;

import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;
import java.util.List;
import java.util.Optional;

/**
 * The network side of a VM's policy check: a NIC joins only a VirtualNetwork its namespace's TenantPolicies list, and
 * turns anti-spoofing off only where one of them sets firewallOptOut. The agent checks both again.
 */
final class NicPolicyChecks {
    private NicPolicyChecks() {
    }

    static Optional<Problem> networksAndFirewalls(List<NetworkInterface> nics, EffectivePolicy policy) {
        for (int i = 0; i < nics.size(); i++) {
            NetworkInterface nic = nics.get(i);
            String field = "spec.networkInterfaces[" + i + "]";
            if (nic.getNetwork() != null && !networkAllowed(policy, nic.getNetwork())) {
                return Optional.of(new Problem(Reason.NETWORK_NOT_ALLOWED, field + ".network '" + nic.getNetwork()
                        + "' is not an allowed network (" + policy.describe() + " allows "
                        + (policy.networks().isEmpty() ? "none" : String.join(", ", policy.networks().stream().sorted().toList()))
                        + "); ask the platform team to add it to networks of a TenantPolicy for this namespace"));
            }
            if (nic.getFirewall() != null && Boolean.FALSE.equals(nic.getFirewall().getAntiSpoofing())
                    && !policy.firewallOptOut()) {
                return Optional.of(new Problem(Reason.FIREWALL_OPT_OUT_NOT_ALLOWED, field
                        + ".firewall.antiSpoofing is false, which " + policy.describe() + " does not allow; remove it, "
                        + "or ask the platform team for a TenantPolicy with firewallOptOut: true"));
            }
        }
        return Optional.empty();
    }

    static boolean networkAllowed(EffectivePolicy policy, String network) {
        return policy.networks().stream().anyMatch(allowed -> allowed.endsWith("*")
                ? network.startsWith(allowed.substring(0, allowed.length() - 1)) : allowed.equals(network));
    }
}
