package io.virtfleet.agent.contract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MAC address convention both sides share: a NIC without an explicit MAC gets {@code be:ef:} followed by the four
 * octets of its IPv4 address in hex ({@code 10.0.0.5} becomes {@code be:ef:0a:00:00:05}). Stable across
 * re-creation, unique wherever the addresses are, and locally administered (bit 1 of the first octet, 0xbe, is set).
 */
public final class MacAddresses {
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/\\d{1,2})?$");
    /** A MAC address in lower-case colon form. */
    public static final String FORMAT = "^([0-9a-f]{2}:){5}[0-9a-f]{2}$";
    private static final Pattern MAC = Pattern.compile(FORMAT);

    private MacAddresses() {
    }

    /**
     * @param ipv4 an address, optionally in CIDR form ({@code 10.0.0.5/24})
     * @throws IllegalArgumentException when it is not an IPv4 address
     */
    public static String fromIpv4(String ipv4) {
        Matcher matcher = ipv4 == null ? null : IPV4.matcher(ipv4.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
        }
        StringBuilder mac = new StringBuilder("be:ef");
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(matcher.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
            }
            mac.append(String.format(Locale.ROOT, ":%02x", octet));
        }
        return mac.toString();
    }

    /**
     * The MAC of one NIC: the given one (normalized), else derived from its IPv4 address, else null (libvirt picks
     * one). The one place both sides turn a NIC into its MAC.
     *
     * @throws IllegalArgumentException when the given MAC or the address is malformed
     */
    public static String forNic(String mac, String ipv4) {
        if (mac != null) {
            return normalize(mac);
        }
        return ipv4 == null ? null : fromIpv4(ipv4);
    }

    /** Lower-case colon form, or IllegalArgumentException when {@code mac} is not a MAC address. */
    public static String normalize(String mac) {
        String lower = mac == null ? "" : mac.trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MAC.matcher(lower).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        return lower;
    }
}
