package io.virtfleet.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Node device XML as libvirt prints it (fixtures: this machine has no IOMMU and no device worth assigning). */
class PciDeviceTest {
    static String fixture(String name) {
        try (InputStream in = PciDeviceTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsAddressIdsIommuGroupAndDriverOfAGpu() {
        assertThat(PciDevice.fromNodeDeviceXml(fixture("nodedev-gpu-t4.xml")))
                .contains(new PciDevice("0000:03:00.0", "10de", "1eb8", 14, "vfio-pci"));
    }

    @Test
    void aDeviceOnAHostWithoutIommuHasNoGroup() {
        assertThat(PciDevice.fromNodeDeviceXml(fixture("nodedev-nic-no-iommu.xml")))
                .contains(new PciDevice("0000:00:03.0", "1af4", "1000", null, "virtio-pci"));
    }

    @Test
    void otherDevicesAreNotPciDevices() {
        assertThat(PciDevice.fromNodeDeviceXml(fixture("nodedev-usb.xml"))).isEmpty();
    }
}
