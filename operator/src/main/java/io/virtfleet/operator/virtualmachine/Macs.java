package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.NetworkInterface;

/** MAC addresses of NICs: the given one, else {@code be:ef:} followed by the IPv4 octets in hex. */
public final class Macs {
    private Macs() {
    }

    public static String of(NetworkInterface nic) {
        if (nic.getMac() != null) {
            return nic.getMac();
        }
        if (nic.getIp() == null) {
            return null;
        }
        String[] octets = nic.getIp().split("/")[0].split("\\.");
        StringBuilder mac = new StringBuilder("be:ef");
        try {
            for (String octet : octets) {
                mac.append(':').append(String.format("%02x", Integer.parseInt(octet)));
            }
        } catch (NumberFormatException e) {
            return null; // not an IPv4 address; the spec check reports it
        }
        return mac.toString();
    }
}
