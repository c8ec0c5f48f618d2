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
 * (https://libvirt.org/formatdomain.html).
 */
@JacksonXmlRootElement(localName = "domain")
@JsonPropertyOrder({"type", "name", "uuid", "memory", "vcpu", "os", "features", "on_poweroff", "on_reboot", "on_crash",
        "devices"})
public record DomainXml(
        @JacksonXmlProperty(isAttribute = true) String type,
        String name,
        String uuid,
        ScaledInteger memory,
        int vcpu,
        Os os,
        Features features,
        @JsonProperty("on_poweroff") String onPoweroff,
        @JsonProperty("on_reboot") String onReboot,
        @JsonProperty("on_crash") String onCrash,
        Devices devices) {

    public record Os(OsType type, Boot boot) {
    }

    /** {@code <type arch='x86_64' machine='q35'>hvm</type>}. */
    public record OsType(@JacksonXmlProperty(isAttribute = true) String arch,
                         @JacksonXmlProperty(isAttribute = true) String machine,
                         @JacksonXmlText String value) {
    }

    public record Boot(@JacksonXmlProperty(isAttribute = true) String dev) {
    }

    /** Present-or-absent flags; a null component is left out. */
    public record Features(Flag acpi, Flag apic) {
    }

    /** An element without content, such as {@code <acpi/>}. */
    public record Flag() {
    }

    @JsonPropertyOrder({"disk", "serial", "console"})
    public record Devices(
            @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "disk") List<Disk> disks,
            CharDevice serial,
            CharDevice console) {
    }

    @JsonPropertyOrder({"type", "device", "driver", "source", "target"})
    public record Disk(@JacksonXmlProperty(isAttribute = true) String type,
                       @JacksonXmlProperty(isAttribute = true) String device,
                       Driver driver,
                       DiskSource source,
                       DiskTarget target) {
    }

    public record Driver(@JacksonXmlProperty(isAttribute = true) String name,
                         @JacksonXmlProperty(isAttribute = true) String type) {
    }

    /** A disk backed by a libvirt storage volume: works for dir and logical pools alike. */
    public record DiskSource(@JacksonXmlProperty(isAttribute = true) String pool,
                             @JacksonXmlProperty(isAttribute = true) String volume) {
    }

    public record DiskTarget(@JacksonXmlProperty(isAttribute = true) String dev,
                             @JacksonXmlProperty(isAttribute = true) String bus) {
    }

    /** A serial port or console; {@code type='pty'} gives a pseudo terminal on the host. */
    public record CharDevice(@JacksonXmlProperty(isAttribute = true) String type, CharTarget target) {
    }

    public record CharTarget(@JacksonXmlProperty(isAttribute = true) String type,
                             @JacksonXmlProperty(isAttribute = true) Integer port) {
    }
}
