package io.virtfleet.agent.storage;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import io.virtfleet.agent.libvirt.ScaledInteger;

/** Typed models of the libvirt storage XML the agent sends (serialized by {@link io.virtfleet.agent.libvirt.LibvirtXml}). */
final class StorageXml {
    private StorageXml() {
    }

    /** {@code <volume>}: a raw volume of {@code capacity} bytes; format is left out for pools that have none (LVM). */
    @JacksonXmlRootElement(localName = "volume")
    record Volume(String name, ScaledInteger capacity, ScaledInteger allocation, VolumeTarget target) {
        static Volume raw(String name, long capacityBytes, boolean fileBased) {
            // allocation 0 keeps a file-based volume sparse: qemu-img writes only the image's data.
            return new Volume(name, ScaledInteger.bytes(capacityBytes), fileBased ? ScaledInteger.bytes(0) : null,
                    fileBased ? new VolumeTarget(new Format("raw")) : null);
        }
    }

    record VolumeTarget(Format format) {
    }

    record Format(@JacksonXmlProperty(isAttribute = true) String type) {
    }

    /** {@code <pool type='dir'>} with its directory. */
    @JacksonXmlRootElement(localName = "pool")
    record Pool(@JacksonXmlProperty(isAttribute = true) String type, String name, PoolTarget target) {
        static Pool directory(String name, String path) {
            return new Pool("dir", name, new PoolTarget(path));
        }
    }

    record PoolTarget(String path) {
    }
}
