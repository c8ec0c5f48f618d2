package io.virtfleet.agent.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PCI addresses in the one spelling operator, agent and status share: {@code dddd:bb:ss.f} in lower-case hex
 * (domain, bus, slot, function), e.g. {@code 0000:03:00.0}.
 */
public final class PciAddresses {
    /** A PCI address in canonical form (unanchored, so names that embed it can use it too). */
    public static final String PATTERN = "[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]";
    private static final Pattern ADDRESS = Pattern.compile("^" + PATTERN + "$");

    private PciAddresses() {
    }

    public static boolean valid(String address) {
        return address != null && ADDRESS.matcher(address).matches();
    }

    /** The canonical address of a device's numeric parts, as libvirt's node device XML gives them. */
    public static String of(int domain, int bus, int slot, int function) {
        if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0
                || function > 7) {
            throw new IllegalArgumentException("not a PCI address: " + domain + ":" + bus + ":" + slot + "." + function);
        }
        return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, slot, function);
    }

    /** The address's parts: domain, bus, slot, function. */
    public static int[] parts(String address) {
        if (!valid(address)) {
            throw new IllegalArgumentException("not a canonical PCI address (dddd:bb:ss.f, lower-case hex): " + address);
        }
        return new int[] {Integer.parseInt(address.substring(0, 4), 16), Integer.parseInt(address.substring(5, 7), 16),
                Integer.parseInt(address.substring(8, 10), 16), Integer.parseInt(address.substring(11), 16)};
    }
}
