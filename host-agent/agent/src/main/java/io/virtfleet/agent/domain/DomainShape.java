package io.virtfleet.agent.domain;

import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.List;

/**
 * The parts of a definition the agent owns, to tell whether a defined domain already matches the request. libvirt
 * fills in much more (addresses, controllers, emulator path), so whole documents cannot be compared.
 */
record DomainShape(String type, long memoryKib, int vcpus, List<String> diskSources) {

    static DomainShape of(DomainXml xml) {
        List<String> disks = xml.devices().disks().stream()
                .map(disk -> disk.source().pool() + "/" + disk.source().volume())
                .toList();
        return new DomainShape(xml.type(), xml.memory().value(), xml.vcpu(), disks);
    }

    /** Reads the shape from libvirt's (inactive) domain XML, where memory is always given in KiB. */
    static DomainShape parse(String libvirtXml) {
        LibvirtXml.Parsed xml = LibvirtXml.parse(libvirtXml);
        List<String> disks = xml.attributes("/domain/devices/disk/source").stream()
                .map(source -> source.get("pool") + "/" + source.get("volume"))
                .toList();
        return new DomainShape(
                xml.value("/domain/@type").orElse(""),
                Long.parseLong(xml.value("/domain/memory").orElse("0")),
                Integer.parseInt(xml.value("/domain/vcpu").orElse("0")),
                disks);
    }
}
