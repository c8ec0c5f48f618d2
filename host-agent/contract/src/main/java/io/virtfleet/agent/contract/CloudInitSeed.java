package io.virtfleet.agent.contract;

import java.util.List;

/**
 * What the agent writes into the NoCloud seed ISO (volume label {@code cidata}).
 *
 * @param instanceId        meta-data instance-id; a new one on each reprovision makes cloud-init run again
 * @param rootPasswordHash  crypt hash (starts with {@code $}); never logged
 * @param extraUserData     cloud-config YAML merged into the generated user-data; never logged
 * @param networks          one entry per NIC, matched by MAC in netplan v2 network-config
 */
public record CloudInitSeed(String instanceId, String hostname, String fqdn, List<String> sshAuthorizedKeys,
                            String rootPasswordHash, String extraUserData, List<Network> networks) {
    @Override
    public String toString() {
        return "CloudInitSeed[instanceId=" + instanceId + ", hostname=" + hostname + ", fqdn=" + fqdn
                + ", sshAuthorizedKeys=" + (sshAuthorizedKeys == null ? 0 : sshAuthorizedKeys.size())
                + " keys, rootPasswordHash=" + (rootPasswordHash == null ? "none" : "****")
                + ", extraUserData=" + (extraUserData == null ? "none" : "****") + ", networks=" + networks + "]";
    }

    /**
     * Static addressing of one NIC.
     *
     * @param addresses    IPv4 addresses in CIDR form
     * @param defaultRoute whether the default route goes via {@code gateway} on this NIC
     */
    public record Network(String mac, List<String> addresses, String gateway, List<String> dns,
                          boolean defaultRoute) {
    }
}
