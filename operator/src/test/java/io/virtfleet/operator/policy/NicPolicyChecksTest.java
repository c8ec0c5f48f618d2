package io.virtfleet.operator.policy;

import static io.virtfleet.operator.policy.Policies.effective;
import static io.virtfleet.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.NicFirewall;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** NICs join only networks a TenantPolicy lists and turn anti-spoofing off only where one allows it. */
class NicPolicyChecksTest {
    private static final EffectivePolicy NONE = effective("team-a");
    private static final EffectivePolicy NETWORKS = effective("team-a", policy("platform", Map.of(), s -> {
        s.setNetworks(List.of("team-a-private", "shared-*", "bad entry", "*"));
        s.setBridges(List.of("br-tenant"));
    }));
    private static final EffectivePolicy OPT_OUT = effective("team-a", policy("platform", Map.of(), s -> {
        s.setBridges(List.of("br-tenant"));
        s.setFirewallOptOut(true);
    }));

    @Test
    void aNetworkIsAllowedByNameOrPrefixOnly() {
        assertThat(check(NETWORKS, network("team-a-private"))).isEmpty();
        assertThat(check(NETWORKS, network("shared-lan"))).isEmpty();
        assertThat(check(NETWORKS, network("team-b-private"))).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED);
            assertThat(p.message()).contains("spec.networkInterfaces[0].network 'team-b-private'");
        });
        assertThat(check(NONE, network("team-a-private"))).map(Problem::reason).contains(Reason.NETWORK_NOT_ALLOWED);
    }

    @Test
    void entriesTheCrdWouldRefuseAreDroppedNotTrusted() {
        assertThat(NETWORKS.networks()).containsExactlyInAnyOrder("team-a-private", "shared-*");
    }

    @Test
    void antiSpoofingOffNeedsAPolicyThatAllowsIt() {
        NetworkInterface optedOut = bridge("br-tenant");
        NicFirewall firewall = new NicFirewall();
        firewall.setAntiSpoofing(false);
        optedOut.setFirewall(firewall);
        assertThat(check(NETWORKS, optedOut)).map(Problem::reason).contains(Reason.FIREWALL_OPT_OUT_NOT_ALLOWED);
        assertThat(check(OPT_OUT, optedOut)).isEmpty();
        assertThat(check(NETWORKS, bridge("br-tenant"))).as("anti-spoofing on by default").isEmpty();
    }

    private static Optional<Problem> check(EffectivePolicy policy, NetworkInterface nic) {
        VirtualMachineSpec spec = new VirtualMachineSpec();
        spec.setNetworkInterfaces(List.of(nic));
        return PolicyChecks.virtualMachine(spec, policy);
    }

    private static NetworkInterface network(String name) {
        NetworkInterface nic = new NetworkInterface();
        nic.setNetwork(name);
        nic.setAddressing(NetworkInterface.Addressing.DHCP);
        return nic;
    }

    private static NetworkInterface bridge(String name) {
        NetworkInterface nic = new NetworkInterface();
        nic.setBridge(name);
        nic.setIp("192.0.2.10/24");
        return nic;
    }
}
