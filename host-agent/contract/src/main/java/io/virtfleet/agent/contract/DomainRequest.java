package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * Desired state of a libvirt domain, sent with {@code PUT /api/v1/domains/{name}}.
 *
 * @param rootVolume  name of an agent volume ({@code /api/v1/volumes/{name}}) that must be Ready
 * @param running     whether the domain should be running (true) or defined and shut off (false)
 * @param firmware    {@code bios} (null means bios) or {@code uefi}
 * @param cpuMode     {@code host-model}, {@code host-passthrough}, or null for the hypervisor's default
 * @param dataDisks   empty raw disks the agent creates, owns and deletes with the domain
 * @param nics        network interfaces on host bridges or agent-owned networks, in guest order
 * @param cloudInit   contents of the NoCloud seed ISO attached as a cdrom; null attaches none
 * @param vnc         whether to add a VNC console on an automatically chosen port
 * @param kernelBoot  direct kernel boot; null boots from the root disk
 * @param autostart   whether libvirt starts the domain when the host boots
 * @param ownerUid    Kubernetes UID of the object the domain belongs to; the agent records it (domain metadata) and
 *                    refuses requests and deletions that carry another UID ({@link AgentErrorReasons#OWNED_BY_ANOTHER}).
 *                    Null only for callers outside Kubernetes
 * @param maxima      how far {@code vcpus} and {@code memoryBytes} may change while the domain runs; null (or null
 *                    parts) means the requested values are the maxima, so any change of them waits for a restart
 * @param hostDevices PCI addresses ({@link PciAddresses}) of host devices to pass through (libvirt {@code hostdev},
 *                    managed); the agent refuses addresses it does not know, whose IDs the platform does not allow,
 *                    or that another domain holds
 */
public record DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running, Firmware firmware,
                            CpuMode cpuMode, List<DataDisk> dataDisks, List<Nic> nics, CloudInitSeed cloudInit,
                            boolean vnc, KernelBoot kernelBoot, boolean autostart, String ownerUid, Maxima maxima,
                            List<String> hostDevices) {
    public DomainRequest {
        hostDevices = hostDevices == null ? List.of() : List.copyOf(hostDevices);
    }

    public DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running, Firmware firmware,
                         CpuMode cpuMode, List<DataDisk> dataDisks, List<Nic> nics, CloudInitSeed cloudInit,
                         boolean vnc, KernelBoot kernelBoot, boolean autostart, String ownerUid, Maxima maxima) {
        this(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics, cloudInit, vnc, kernelBoot,
                autostart, ownerUid, maxima, List.of());
    }

    public DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running) {
        this(vcpus, memoryBytes, rootVolume, running, null, null, List.of(), List.of(), null, false, null, false, null);
    }

    public DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running, Firmware firmware,
                         CpuMode cpuMode, List<DataDisk> dataDisks, List<Nic> nics, CloudInitSeed cloudInit,
                         boolean vnc, KernelBoot kernelBoot, boolean autostart, String ownerUid) {
        this(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics, cloudInit, vnc, kernelBoot,
                autostart, ownerUid, null);
    }

    /** The domain's vCPU maximum: the declared one, else the requested count. */
    public int maxVcpusOrRequested() {
        return maxima == null || maxima.vcpus() == null ? vcpus : maxima.vcpus();
    }

    /** The domain's memory maximum: the declared one, else the requested size. */
    public long maxMemoryBytesOrRequested() {
        return maxima == null || maxima.memoryBytes() == null ? memoryBytes : maxima.memoryBytes();
    }

    /** The same request with other maxima. */
    public DomainRequest withMaxima(Maxima other) {
        return new DomainRequest(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics,
                cloudInit, vnc, kernelBoot, autostart, ownerUid, other, hostDevices);
    }

    /** The same request with other host devices. */
    public DomainRequest withHostDevices(List<String> addresses) {
        return new DomainRequest(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics,
                cloudInit, vnc, kernelBoot, autostart, ownerUid, maxima, addresses);
    }

    /** The same request with another direct kernel boot. */
    public DomainRequest withKernelBoot(KernelBoot other) {
        return new DomainRequest(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics,
                cloudInit, vnc, other, autostart, ownerUid, maxima, hostDevices);
    }

    public DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running, Firmware firmware,
                         CpuMode cpuMode, List<DataDisk> dataDisks, List<Nic> nics, CloudInitSeed cloudInit,
                         boolean vnc, KernelBoot kernelBoot, boolean autostart) {
        this(vcpus, memoryBytes, rootVolume, running, firmware, cpuMode, dataDisks, nics, cloudInit, vnc, kernelBoot,
                autostart, null);
    }

    /** Boot firmware; on the wire {@code bios} or {@code uefi}. */
    public enum Firmware {
        BIOS("bios"), UEFI("uefi");

        private final String wireName;

        Firmware(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /** The guest CPU model; on the wire {@code host-model} or {@code host-passthrough}, libvirt's own names. */
    public enum CpuMode {
        HOST_MODEL("host-model"), HOST_PASSTHROUGH("host-passthrough");

        private final String wireName;

        CpuMode(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /** An empty raw disk: guest device {@code vdb}..{@code vdz} and its size. */
    public record DataDisk(String device, long sizeBytes) {
        /** A data disk's device name (unanchored, so names that embed it can use it too). */
        public static final String DEVICE = "vd[b-z]";
    }

    /**
     * A NIC on a host bridge or on a network the agent realised ({@code PUT /api/v1/networks/{name}}): exactly one of
     * {@code bridge} and {@code network}.
     *
     * @param firewall its traffic filter; null means anti-spoofing only
     */
    public record Nic(String bridge, String network, String mac, NicFirewall firewall) {
        /** A Linux interface name: at most 15 characters, no '/' or whitespace (unanchored). */
        public static final String BRIDGE = "[A-Za-z0-9_.-]{1,15}";

        public Nic(String bridge, String mac) {
            this(bridge, null, mac, null);
        }
    }

    /**
     * Declared maxima: the domain is defined with {@code <vcpu current='vcpus'>maxVcpus</vcpu>} and
     * {@code <memory>maxMemory</memory>} with {@code <currentMemory>memoryBytes</currentMemory>} and a virtio balloon,
     * so a running domain takes vCPU hot-plug and balloon changes within them. Changing a maximum needs a restart.
     */
    public record Maxima(Integer vcpus, Long memoryBytes) {
    }

    /** Direct kernel boot: paths on the host. */
    public record KernelBoot(String kernel, String initrd, String cmdline) {
    }
}
