package io.virtfleet.agent.network;

import java.util.regex.Pattern;

/** A dotted-quad IPv4 address as a number: parsed strictly (no names, no shorthand), so nothing else passes. */
record Ipv4(long value) {
    private static final Pattern DOTTED_QUAD = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    static Ipv4 parse(String field, String text) {
        var matcher = text == null ? null : DOTTED_QUAD.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an IPv4 address (a.b.c.d)");
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(matcher.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException(field + " '" + text + "' is not an IPv4 address (a.b.c.d)");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4(value);
    }

    /** Whether this address lies in {@code network}/{@code prefix}. */
    boolean within(Ipv4 network, int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (value & mask) == (network.value & mask);
    }

    @Override
    public String toString() {
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }
}
