package io.virtfleet.agent.device;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of the platform's host device allow-list: PCI devices with these vendor:device IDs may be assigned, and
 * are offered under this resource name ({@code VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES}, entries
 * {@code resourceName=vendor:device}, e.g. {@code gpu.example.com/t4=10de:1eb8}). There is no wildcard: every allowed
 * model is named.
 *
 * @param resourceName DNS-like {@code domain/name}, the name a VirtualMachine asks for
 * @param vendorId     four lower-case hex digits
 * @param deviceId     four lower-case hex digits
 */
public record AllowedHostDevice(String resourceName, String vendorId, String deviceId) {
    /** A resource name: a DNS subdomain, '/', a DNS label-like name (the operator's CRD uses the same pattern). */
    public static final String RESOURCE_NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+"
            + "/[a-z0-9]([-a-z0-9_.]*[a-z0-9])?";
    private static final Pattern RESOURCE = Pattern.compile("^" + RESOURCE_NAME + "$");
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{4}$");

    public AllowedHostDevice {
        if (resourceName == null || resourceName.length() > 253 || !RESOURCE.matcher(resourceName).matches()) {
            throw new IllegalArgumentException("host device resource name '" + resourceName
                    + "' is not of the form domain/name (e.g. gpu.example.com/t4)");
        }
        if (vendorId == null || !ID.matcher(vendorId).matches() || deviceId == null || !ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("host device " + resourceName + " needs vendor:device as two groups of "
                    + "four hex digits (e.g. 10de:1eb8), got " + vendorId + ":" + deviceId);
        }
    }

    /** Parses {@code resourceName=vendor:device}; hex digits may be given in upper case. */
    public static AllowedHostDevice parse(String entry) {
        int equals = entry.indexOf('=');
        int colon = entry.indexOf(':', equals + 1);
        if (equals < 0 || colon < 0 || entry.indexOf('=', equals + 1) >= 0) {
            throw new IllegalArgumentException("allowed host device '" + entry
                    + "' is not of the form resourceName=vendor:device (e.g. gpu.example.com/t4=10de:1eb8)");
        }
        return new AllowedHostDevice(entry.substring(0, equals).trim(),
                entry.substring(equals + 1, colon).trim().toLowerCase(Locale.ROOT),
                entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT));
    }

    boolean matches(PciDevice device) {
        return vendorId.equals(device.vendorId()) && deviceId.equals(device.deviceId());
    }
}
