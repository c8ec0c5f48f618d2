package io.virtfleet.agent.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import io.virtfleet.agent.libvirt.ScaledInteger;
import java.util.List;

/**
 * Typed model of the libvirt domain XML the agent defines: only what the agent sets, serialized by Jackson
 * ({@link io.virtfleet.agent.libvirt.LibvirtXml}) so values are always escaped. Element names follow libvirt's schema
 * (https://libvirt.org/formatdomain.html). A null component is left out of the document.
 */
@JacksonXmlRootElement(localName = "domain")
@JsonPropertyOrder({"type", "name", "uuid", "description", "memory", "currentMemory", "vcpu", "os", "features", "cpu", "on_poweroff",
        "on_reboot", "on_crash", "devices"})
public record DomainXml(
        @JacksonXmlProperty(isAttribute = true) String type,
        String name,
        String uuid,
        String description,
        ScaledInteger memory,
        ScaledInteger currentMemory,
        Vcpu vcpu,
        Os os,
        Features features,
        Cpu cpu,
        @JsonProperty("on_poweroff") String onPoweroff,
        @JsonProperty("on_reboot") String onReboot,
        @JsonProperty("on_crash") String onCrash,
        Devices devices) {

    public DomainXml withDescription(String value) {
        return new DomainXml(type, name, uuid, value, memory, currentMemory, vcpu, os, features, cpu, onPoweroff,
                onReboot, onCrash, devices);
    }

    /** The definition without what a running domain changes live (current vCPUs, balloon target). */
    public DomainXml withoutLiveValues() {
        return new DomainXml(type, name, uuid, description, memory, null, new Vcpu(null, vcpu.max()), os, features,
                cpu, onPoweroff, onReboot, onCrash, devices);
    }

    /** {@code <vcpu current='2'>4</vcpu>}: 4 vCPUs possible, 2 plugged in at start; no current means all. */
    public record Vcpu(@JacksonXmlProperty(isAttribute = true) Integer current, @JacksonXmlText int max) {
    }

    /** {@code <memballoon model='virtio'/>}: the device through which a running guest's memory is changed. */
    public record Memballoon(@JacksonXmlProperty(isAttribute = true) String model) {
    }

    /** Boot: firmware (loader + NVRAM template for UEFI), direct kernel boot, or the first disk. */
    @JsonPropertyOrder({"type", "loader", "nvram", "kernel", "initrd", "cmdline", "boot"})
    public record Os(OsType type, Loader loader, Nvram nvram, String kernel, String initrd, String cmdline, Boot boot) {
    }

    /** {@code <type arch='x86_64' machine='q35'>hvm</type>}. */
    public record OsType(@JacksonXmlProperty(isAttribute = true) String arch,
                         @JacksonXmlProperty(isAttribute = true) String machine,
                         @JacksonXmlText String value) {
    }

    /** {@code <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>}. */
    public record Loader(@JacksonXmlProperty(isAttribute = true) String readonly,
                         @JacksonXmlProperty(isAttribute = true) String type,
                         @JacksonXmlText String path) {
    }

    /** {@code <nvram template='...'/>}: libvirt copies the template to its per-domain NVRAM file. */
    public record Nvram(@JacksonXmlProperty(isAttribute = true) String template) {
    }

    public record Boot(@JacksonXmlProperty(isAttribute = true) String dev) {
    }

    /** Present-or-absent flags; a null component is left out. */
    public record Features(Flag acpi, Flag apic) {
    }

    /** An element without content, such as {@code <acpi/>}. */
    public record Flag() {
    }

    /** {@code <cpu mode='host-model'/>}. */
    public record Cpu(@JacksonXmlProperty(isAttribute = true) String mode) {
    }

    @JsonPropertyOrder({"disk", "interface", "hostdev", "serial", "console", "graphics", "memballoon"})
    public record Devices(
            @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "disk") List<Disk> disks,
            @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "interface") List<Interface> interfaces,
            @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "hostdev") List<Hostdev> hostdevs,
            Serial serial,
            Console console,
            Graphics graphics,
            Memballoon memballoon) {
        public Devices(List<Disk> disks, List<Interface> interfaces, Serial serial, Console console,
                       Graphics graphics) {
            this(disks, interfaces, null, serial, console, graphics, null);
        }
    }

    /**
     * {@code <hostdev mode='subsystem' type='pci' managed='yes'>}: a host PCI device passed through; managed, so
     * libvirt detaches it from its host driver (binding vfio-pci) at start and gives it back at stop.
     */
    @JsonPropertyOrder({"mode", "type", "managed", "source"})
    public record Hostdev(@JacksonXmlProperty(isAttribute = true) String mode,
                          @JacksonXmlProperty(isAttribute = true) String type,
                          @JacksonXmlProperty(isAttribute = true) String managed,
                          HostdevSource source) {
        /** A managed PCI passthrough of the device at {@code domain:bus:slot.function}. */
        public static Hostdev managedPci(int[] address) {
            return new Hostdev("subsystem", "pci", "yes", new HostdevSource(new PciAddress(
                    String.format("0x%04x", address[0]), String.format("0x%02x", address[1]),
                    String.format("0x%02x", address[2]), String.format("0x%x", address[3]))));
        }
    }

    public record HostdevSource(PciAddress address) {
    }

    @JsonPropertyOrder({"domain", "bus", "slot", "function"})
    public record PciAddress(@JacksonXmlProperty(isAttribute = true) String domain,
                             @JacksonXmlProperty(isAttribute = true) String bus,
                             @JacksonXmlProperty(isAttribute = true) String slot,
                             @JacksonXmlProperty(isAttribute = true) String function) {
    }

    @JsonPropertyOrder({"type", "device", "driver", "source", "backingStore", "target", "readonly"})
    public record Disk(@JacksonXmlProperty(isAttribute = true) String type,
                       @JacksonXmlProperty(isAttribute = true) String device,
                       Driver driver,
                       DiskSource source,
                       BackingStore backingStore,
                       DiskTarget target,
                       Flag readonly) {
        public Disk(String type, String device, Driver driver, DiskSource source, DiskTarget target, Flag readonly) {
            this(type, device, driver, source, null, target, readonly);
        }
    }

    /**
     * A disk's backing chain spelled out, ending in an empty {@code <backingStore/>}: libvirt and QEMU then open
     * exactly these files with these formats and probe nothing (neither the overlay's header nor the backing file).
     */
    @JsonPropertyOrder({"type", "format", "source", "backingStore"})
    public record BackingStore(@JacksonXmlProperty(isAttribute = true) String type, Format format, DiskSource source,
                               Flag backingStore) {
        static BackingStore lastFile(String path, String format) {
            return new BackingStore("file", new Format(format), DiskSource.file(path), new Flag());
        }
    }

    public record Format(@JacksonXmlProperty(isAttribute = true) String type) {
    }

    public record Driver(@JacksonXmlProperty(isAttribute = true) String name,
                         @JacksonXmlProperty(isAttribute = true) String type,
                         @JacksonXmlProperty(isAttribute = true) String cache) {
    }

    /** A disk's backing: a libvirt storage volume ({@code pool}+{@code volume}) or a host file. */
    public record DiskSource(@JacksonXmlProperty(isAttribute = true) String pool,
                             @JacksonXmlProperty(isAttribute = true) String volume,
                             @JacksonXmlProperty(isAttribute = true) String file) {
        static DiskSource volume(String pool, String volume) {
            return new DiskSource(pool, volume, null);
        }

        static DiskSource file(String path) {
            return new DiskSource(null, null, path);
        }
    }

    public record DiskTarget(@JacksonXmlProperty(isAttribute = true) String dev,
                             @JacksonXmlProperty(isAttribute = true) String bus) {
    }

    /**
     * {@code <interface type='bridge'>} (a host bridge) or {@code type='network'} (an agent-owned libvirt network) with
     * its MAC, a virtio NIC model and its traffic filter.
     */
    @JsonPropertyOrder({"type", "mac", "source", "model", "filterref"})
    public record Interface(@JacksonXmlProperty(isAttribute = true) String type, Mac mac, InterfaceSource source,
                            Model model, FilterRef filterref) {
    }

    public record Mac(@JacksonXmlProperty(isAttribute = true) String address) {
    }

    public record InterfaceSource(@JacksonXmlProperty(isAttribute = true) String bridge,
                                  @JacksonXmlProperty(isAttribute = true) String network) {
    }

    /** {@code <filterref filter='clean-traffic'><parameter name='IP' value='...'/></filterref>}. */
    public record FilterRef(@JacksonXmlProperty(isAttribute = true) String filter,
                            @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "parameter")
                            List<Parameter> parameters) {
    }

    public record Parameter(@JacksonXmlProperty(isAttribute = true) String name,
                            @JacksonXmlProperty(isAttribute = true) String value) {
    }

    public record Model(@JacksonXmlProperty(isAttribute = true) String type) {
    }

    /**
     * The serial port: a UNIX socket QEMU listens on ({@code <source mode='bind' path='...'/>}, one client at a time)
     * that the agent relays to its console API, everything the guest prints also logged to a file.
     */
    @JsonPropertyOrder({"type", "source", "log", "target"})
    public record Serial(@JacksonXmlProperty(isAttribute = true) String type, CharSource source, Log log,
                         CharTarget target) {
    }

    /** {@code <source mode='bind' path='...'/>}: QEMU creates and listens on the socket. */
    public record CharSource(@JacksonXmlProperty(isAttribute = true) String mode,
                             @JacksonXmlProperty(isAttribute = true) String path) {
    }

    /** {@code <log file='...' append='off'/>}: a fresh log from each start on. */
    public record Log(@JacksonXmlProperty(isAttribute = true) String file,
                      @JacksonXmlProperty(isAttribute = true) String append) {
    }

    /** The console on serial port 0: the same character device as the serial port (libvirt requires them equal). */
    @JsonPropertyOrder({"type", "source", "target"})
    public record Console(@JacksonXmlProperty(isAttribute = true) String type, CharSource source, CharTarget target) {
    }

    public record CharTarget(@JacksonXmlProperty(isAttribute = true) String type,
                             @JacksonXmlProperty(isAttribute = true) Integer port) {
    }

    /**
     * {@code <graphics type='vnc' socket='...'/>}: VNC on a UNIX socket only the agent (root) can open, never on a
     * TCP address; the agent relays it to its VNC API.
     */
    public record Graphics(@JacksonXmlProperty(isAttribute = true) String type,
                           @JacksonXmlProperty(isAttribute = true) String socket) {
    }
}
