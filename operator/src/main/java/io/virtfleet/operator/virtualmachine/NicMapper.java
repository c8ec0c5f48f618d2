package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.MacAddresses;
import io.virtfleet.agent.contract.NicFirewall;
import io.virtfleet.crds.v1alpha1.FirewallRule;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * One NIC of the spec as the agent gets it: bridge or network, MAC, firewall. A DHCP NIC without a MAC gets one
 * derived from the VM's UID and the NIC's position ({@code 52:54:00}, QEMU's prefix, then three hash bytes): stable
 * across reconciles, so the guest's network-config keeps matching it.
 */
final class NicMapper {
    private static final int DEFAULT_PRIORITY = 500;

    private NicMapper() {
    }

    static DomainRequest.Nic map(String ownerUid, int index, NetworkInterface nic) {
        return new DomainRequest.Nic(nic.getBridge(), nic.getNetwork(), mac(ownerUid, index, nic), firewall(nic));
    }

    static String mac(String ownerUid, int index, NetworkInterface nic) {
        if (nic.getIp() != null || nic.getMac() != null) {
            return MacAddresses.forNic(nic.getMac(), nic.getIp());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((ownerUid + "/nic" + index).getBytes(StandardCharsets.UTF_8));
            return String.format("52:54:00:%02x:%02x:%02x", digest[0], digest[1], digest[2]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static NicFirewall firewall(NetworkInterface nic) {
        if (nic.getFirewall() == null) {
            return null;
        }
        List<FirewallRule> rules = nic.getFirewall().getRules() == null ? List.of() : nic.getFirewall().getRules();
        return new NicFirewall(Boolean.FALSE.equals(nic.getFirewall().getAntiSpoofing()), rules.stream()
                .map(rule -> new NicFirewall.Rule(
                        NicFirewall.Direction.valueOf(rule.getDirection().name().toUpperCase(java.util.Locale.ROOT)),
                        NicFirewall.Protocol.valueOf(rule.getProtocol().name().toUpperCase(java.util.Locale.ROOT)),
                        rule.getPortStart(), rule.getPortEnd(), rule.getCidrs(),
                        NicFirewall.Action.valueOf(rule.getAction().name().toUpperCase(java.util.Locale.ROOT)),
                        rule.getPriority() == null ? DEFAULT_PRIORITY : rule.getPriority()))
                .toList());
    }
}
