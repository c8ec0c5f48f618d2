package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.device.AllowedHostDevice;
import io.virtfleet.agent.device.HostDeviceInventory;
import io.virtfleet.agent.device.LibvirtNodeDevices;
import io.virtfleet.agent.device.PciDevice;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.fixtures.HostPrerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device inventory on the real libvirtd, against this machine's own PCI devices as sysfs lists them. A domain with
 * a managed hostdev of a real device is defined (libvirt accepts the agent's XML and reports it back) and never
 * started: starting it would detach the device from the host. On a machine without an IOMMU — this one — every
 * device reports no IOMMU group, so nothing here is assignable in fact.
 */
class HostDevicesIntegrationTest {
    private static final Path SYS_PCI = Path.of("/sys/bus/pci/devices");
    private final String domain = "pt-hostdev-" + UUID.randomUUID().toString().substring(0, 8);
    private LibvirtConnection libvirt;

    @BeforeEach
    void open() {
        HostPrerequisites.requireLibvirt();
        libvirt = LibvirtConnection.open(HostPrerequisites.LIBVIRT_URI);
    }

    @AfterEach
    void close() {
        if (libvirt != null) {
            libvirt.call("undefine " + domain, connect -> {
                LibvirtErrors.unlessNotFound(() -> connect.domainLookupByName(domain)).ifPresent(d -> {
                    try {
                        d.undefine();
                    } catch (org.libvirt.LibvirtException e) {
                        throw new IllegalStateException(e);
                    }
                });
                return null;
            });
            libvirt.close();
        }
    }

    @Test
    void libvirtListsEveryPciDeviceOfSysfsWithItsIdsDriverAndIommuGroup() throws IOException {
        Map<String, PciDevice> listed = new LibvirtNodeDevices(libvirt).pciDevices().stream()
                .collect(Collectors.toMap(PciDevice::address, Function.identity()));

        List<Path> sysfs = sysfsDevices();
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(sysfs.stream()
                .map(p -> p.getFileName().toString()).toList());
        for (Path device : sysfs) {
            PciDevice seen = listed.get(device.getFileName().toString());
            assertThat(seen.vendorId()).isEqualTo(Files.readString(device.resolve("vendor")).trim().substring(2));
            assertThat(seen.deviceId()).isEqualTo(Files.readString(device.resolve("device")).trim().substring(2));
            Path group = device.resolve("iommu_group");
            assertThat(seen.iommuGroup()).as("IOMMU group of %s", device)
                    .isEqualTo(Files.exists(group) ? Integer.valueOf(group.toRealPath().getFileName().toString()) : null);
            Path driver = device.resolve("driver");
            assertThat(seen.driver()).isEqualTo(Files.exists(driver) ? driver.toRealPath().getFileName().toString() : null);
        }
    }

    @Test
    void aDomainDefinedWithAHostdevHoldsTheDeviceAndOtherDomainsAreRefused() throws IOException {
        PciDevice real = new LibvirtNodeDevices(libvirt).pciDevices().getLast();
        HostDeviceInventory inventory = new HostDeviceInventory(List.of(new AllowedHostDevice("probe.virtfleet.io/device",
                real.vendorId(), real.deviceId())), new LibvirtNodeDevices(libvirt));
        assertThat(inventory.list()).filteredOn(d -> d.address().equals(real.address())).singleElement()
                .satisfies(d -> assertThat(d.inUse()).isFalse());
        if (real.iommuGroup() == null) {
            // This machine: no IOMMU, so the device is listed but never assignable.
            assertThat(catchThrowableOfType(AgentException.class, () -> inventory.check(domain,
                    List.of(real.address()))).reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_NOT_ASSIGNABLE);
        }

        DomainRequest request = new DomainRequest(1, 64L << 20, "root", false).withHostDevices(List.of(real.address()));
        DomainPlan plan = new DomainPlan(domain, UUID.randomUUID(), "qemu", request, DomainXmlTest.ROOT, List.of(), null,
                null, List.of(), ConsoleFiles.in(Path.of("/tmp/pt-consoles"), domain), null);
        String xml = LibvirtXml.write(DomainFingerprint.stamped(DomainXmlConverter.convert(plan), null));
        String defined = libvirt.call("define " + domain, connect -> connect.domainDefineXML(xml).getXMLDesc(0));

        assertThat(LibvirtNodeDevices.addresses(defined)).containsExactly(real.address());
        assertThat(inventory.list()).filteredOn(d -> d.address().equals(real.address())).containsExactly(
                new HostCapacity.HostDevice("probe.virtfleet.io/device", real.address(), real.iommuGroup(),
                        real.driver(), true, domain));
        AgentException taken = catchThrowableOfType(AgentException.class,
                () -> inventory.check("pt-another", List.of(real.address())));
        assertThat(taken.reason()).isEqualTo(AgentErrorReasons.HOST_DEVICE_IN_USE);
    }

    private static List<Path> sysfsDevices() throws IOException {
        try (Stream<Path> devices = Files.list(SYS_PCI)) {
            return devices.sorted().toList();
        }
    }
}
