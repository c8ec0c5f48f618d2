package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.DomainTypeSetting;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;
import java.util.Locale;

/**
 * What the host offers domains: the libvirt domain type (hardware virtualization where the host offers it, else
 * emulation) and the CPUs and memory no domain may exceed.
 */
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

    /**
     * Refuses (409 {@code ExceedsHostCapacity}) a domain with more vCPUs than the host has logical CPUs or more memory
     * than the host has in total, counting the declared maxima (a running domain grows to them without asking): such a domain could never run here, and libvirt would only say so with an internal
     * error (or start a guest that the host cannot back). Sharing the host with other domains is the scheduler's
     * business, not refused here.
     */
    public static void requireFits(LibvirtConnection libvirt, DomainRequest request) {
        record Host(int cpus, long memoryBytes) {
        }
        Host host = libvirt.call("read host capacity", connect -> {
            var info = connect.nodeInfo();
            return new Host(info.cpus, info.memory * 1024);
        });
        int vcpus = request.maxVcpusOrRequested();
        long memory = request.maxMemoryBytesOrRequested();
        if (vcpus > host.cpus()) {
            throw AgentException.conflict(AgentErrorReasons.EXCEEDS_HOST_CAPACITY, "the domain asks for up to "
                    + vcpus + " vCPUs; this host has " + host.cpus() + " logical CPUs");
        }
        if (memory > host.memoryBytes()) {
            throw AgentException.conflict(AgentErrorReasons.EXCEEDS_HOST_CAPACITY, "the domain asks for up to "
                    + memory + " bytes of memory; this host has " + host.memoryBytes() + " bytes");
        }
    }

    static List<String> offeredTypes(String capabilitiesXml) {
        return LibvirtXml.parse(capabilitiesXml).values("/capabilities/guest[arch/@name='x86_64']/arch/domain/@type");
    }
}
