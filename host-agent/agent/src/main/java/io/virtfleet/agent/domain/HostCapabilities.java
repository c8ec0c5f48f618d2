package io.virtfleet.agent.domain;

import io.virtfleet.agent.DomainTypeSetting;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import java.util.Locale;

/** Chooses the libvirt domain type: hardware virtualization where the host offers it, else emulation. */
public final class HostCapabilities {
    private HostCapabilities() {
    }

    /**
     * {@code kvm} or {@code qemu}. AUTO picks kvm when the capabilities offer it for x86_64 guests; a host whose KVM
     * is listed but does not run guests (some nested setups) must be configured to qemu explicitly.
     */
    public static String domainType(LibvirtConnection libvirt, DomainTypeSetting setting) {
        if (setting != DomainTypeSetting.AUTO) {
            return setting.name().toLowerCase(Locale.ROOT);
        }
        String capabilities = libvirt.call("read host capabilities", connect -> connect.getCapabilities());
        return offeredTypes(capabilities).contains("kvm") ? "kvm" : "qemu";
    }

    static List<String> offeredTypes(String capabilitiesXml) {
        return LibvirtXml.parse(capabilitiesXml).values("/capabilities/guest[arch/@name='x86_64']/arch/domain/@type");
    }
}
