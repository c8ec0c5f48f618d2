package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An address libvirt holds for one of a domain's NICs.
 *
 * @param ip     IPv4 or IPv6 address, without prefix
 * @param source where libvirt has it from
 */
public record ObservedAddress(String mac, String ip, Source source) {

    public enum Source {
        /** The address libvirt's anti-spoofing filter enforces for the NIC (its {@code IP} parameter). */
        STATIC("static"),
        /** A lease of the libvirt network's DHCP server. */
        DHCP_LEASE("dhcp-lease"),
        /** Reported by the QEMU guest agent inside the guest. */
        GUEST_AGENT("guest-agent");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
