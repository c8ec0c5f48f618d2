package io.virtfleet.agent.device;

import io.virtfleet.agent.contract.PciAddresses;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.util.Locale;
import java.util.Optional;

/**
 * A PCI device of the host as libvirt's node device API describes it
 * (https://libvirt.org/formatnode.html, {@code <capability type='pci'>}).
 *
 * @param address    canonical PCI address ({@link PciAddresses})
 * @param vendorId   four lower-case hex digits
 * @param deviceId   four lower-case hex digits (libvirt calls it the product id)
 * @param iommuGroup the IOMMU group; null when the host has no IOMMU
 * @param driver     the bound host driver; null when none is known
 */
public record PciDevice(String address, String vendorId, String deviceId, Integer iommuGroup, String driver) {
    /**
     * Reads one {@code nodedev-dumpxml} document; empty when it is not a PCI device. Read with XPath as every libvirt
     * answer is ({@link LibvirtXml}): the document carries far more than the agent needs.
     */
    public static Optional<PciDevice> fromNodeDeviceXml(String xml) {
        LibvirtXml.Parsed parsed = LibvirtXml.parse(xml);
        String capability = "/device/capability[@type='pci']";
        if (parsed.value(capability + "/bus").isEmpty()) {
            return Optional.empty();
        }
        String address = PciAddresses.of(number(parsed, capability + "/domain"), number(parsed, capability + "/bus"),
                number(parsed, capability + "/slot"), number(parsed, capability + "/function"));
        return Optional.of(new PciDevice(address, id(parsed, capability + "/vendor/@id"),
                id(parsed, capability + "/product/@id"),
                parsed.value(capability + "/iommuGroup/@number").map(Integer::valueOf).orElse(null),
                parsed.value("/device/driver/name").orElse(null)));
    }

    private static int number(LibvirtXml.Parsed parsed, String expression) {
        return Integer.decode(parsed.value(expression).orElseThrow(() ->
                new IllegalStateException("libvirt node device XML lacks " + expression)).trim());
    }

    /** {@code 0x10de} → {@code 10de}. */
    private static String id(LibvirtXml.Parsed parsed, String expression) {
        return String.format(Locale.ROOT, "%04x", number(parsed, expression));
    }
}
