package io.virtfleet.agent;

import java.util.Locale;

/** Which libvirt domain type to use: chosen from the host's capabilities ({@link #AUTO}) or forced. */
public enum DomainTypeSetting {
    AUTO, KVM, QEMU;

    public static DomainTypeSetting parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("domain type must be auto, kvm or qemu, not '" + value + "'", e);
        }
    }
}
