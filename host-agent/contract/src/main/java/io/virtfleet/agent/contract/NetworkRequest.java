package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Desired state of a libvirt network on one host, sent with {@code PUT /api/v1/networks/{name}}. The agent names the
 * libvirt network {@code vf-net-<name>} and touches no network without that prefix.
 *
 * @param forwardMode  how the network reaches beyond the host; the agent allows only the modes its platform lists
 * @param bridge       the Linux bridge: the one libvirt creates (nat, route, isolated) or the existing host bridge
 *                     (bridge mode); always one of the host's allowed bridges
 * @param ipv4Address  the host's address on the network (nat, route, isolated); null for bridge mode
 * @param ipv4Prefix   its prefix length, 8..30
 * @param dhcp         the range libvirt's dnsmasq hands out; null serves no DHCP
 * @param dns          whether libvirt's dnsmasq answers DNS on the network
 * @param autostart    whether libvirt starts the network when the host boots
 */
public record NetworkRequest(ForwardMode forwardMode, String bridge, String ipv4Address, Integer ipv4Prefix,
                             DhcpRange dhcp, boolean dns, boolean autostart) {

    /** An IPv4 range inside the network, first and last address included. */
    public record DhcpRange(String start, String end) {
    }

    /** libvirt's forward modes, on the wire by their libvirt names; {@code isolated} has no {@code <forward>}. */
    public enum ForwardMode {
        NAT("nat"), ROUTE("route"), ISOLATED("isolated"), BRIDGE("bridge");

        private final String wireName;

        ForwardMode(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        public static ForwardMode of(String wireName) {
            for (ForwardMode mode : values()) {
                if (mode.wireName.equals(wireName)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown forward mode '" + wireName + "': nat, route, isolated or bridge");
        }
    }
}
