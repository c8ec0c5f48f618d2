package io.virtfleet.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A hypervisor simulated by libvirt's test driver: a node file ({@code test:///<file>}) declares its CPUs, memory and
 * PCI devices, and every connection to that file gets a fresh, private driver state, so each agent has a host of its
 * own. Domains defined there are metadata only: nothing runs, and no device is really assigned.
 *
 * @param cpus        CPUs the node reports
 * @param memoryBytes memory the node reports (a multiple of 1 KiB)
 * @param pciDevices  PCI devices the node reports (libvirt node devices), those with a resource name allowed to its
 *                    agent under it
 */
public record SimulatedHypervisor(int cpus, long memoryBytes, List<PciDevice> pciDevices) {
    public SimulatedHypervisor {
        if (cpus < 1 || memoryBytes < 1024 || memoryBytes % 1024 != 0) {
            throw new IllegalArgumentException("cpus >= 1 and memory in whole KiB: " + cpus + ", " + memoryBytes);
        }
        pciDevices = List.copyOf(pciDevices);
    }

    public SimulatedHypervisor(int cpus, long memoryBytes) {
        this(cpus, memoryBytes, List.of());
    }

    /**
     * A simulated PCI device on bus {@code bus} (slot 0, function 0) in IOMMU group {@code iommuGroup}.
     *
     * @param resourceName the platform's name for its model ({@code VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES}); null for a
     *                     model the platform does not allow
     * @param vendorId     four lower-case hex digits
     * @param deviceId     four lower-case hex digits
     */
    public record PciDevice(String resourceName, String vendorId, String deviceId, int bus, int iommuGroup) {
        /** The device's PCI address as agents report it. */
        public String address() {
            return String.format("0000:%02x:00.0", bus);
        }

        /** The agent's allow-list entry for its model. */
        public String allowListEntry() {
            return resourceName + "=" + vendorId + ":" + deviceId;
        }

        String nodeDeviceXml() {
            return """
                      <device>
                        <name>pci_0000_%02x_00_0</name>
                        <parent>computer</parent>
                        <capability type='pci'>
                          <domain>0</domain><bus>%d</bus><slot>0</slot><function>0</function>
                          <product id='0x%s'/>
                          <vendor id='0x%s'/>
                          <iommuGroup number='%d'><address domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/></iommuGroup>
                        </capability>
                      </device>
                    """.formatted(bus, bus, deviceId, vendorId, iommuGroup, bus);
        }
    }

    /** The allow-list entries of its devices' models, each once. */
    public List<String> allowedHostDevices() {
        return pciDevices.stream().filter(d -> d.resourceName() != null).map(PciDevice::allowListEntry).distinct()
                .toList();
    }

    /** Writes the node file and returns the libvirt URI that opens it. */
    public String writeNodeFile(Path file) {
        String node = """
                <node>
                  <cpu>
                    <mhz>2400</mhz>
                    <model>x86_64</model>
                    <active>%d</active>
                    <nodes>1</nodes>
                    <sockets>1</sockets>
                    <cores>%d</cores>
                    <threads>1</threads>
                  </cpu>
                  <memory>%d</memory>
                %s</node>
                """.formatted(cpus, cpus, memoryBytes / 1024,
                pciDevices.stream().map(PciDevice::nodeDeviceXml).collect(Collectors.joining()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "test://" + file.toAbsolutePath();
    }
}
