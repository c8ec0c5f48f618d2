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
    record Volume(String name, ScaledInteger capacity, ScaledInteger allocation, VolumeTarget target,
                  BackingStore backingStore) {
        static Volume raw(String name, long capacityBytes, boolean fileBased) {
            // allocation 0 keeps a file-based volume sparse: qemu-img writes only the image's data.
            return new Volume(name, ScaledInteger.bytes(capacityBytes), fileBased ? ScaledInteger.bytes(0) : null,
                    fileBased ? new VolumeTarget(new Format("raw"), null) : null, null);
        }

        /**
         * A qcow2 overlay over {@code backing}: libvirt runs {@code qemu-img create -b <path> -F <format>}, so the
         * backing format is written into the header and never probed.
         */
        static Volume overlay(String name, long capacityBytes, VolumeBacking backing) {
            return new Volume(name, ScaledInteger.bytes(capacityBytes), null,
                    new VolumeTarget(new Format("qcow2"), "1.1"),
                    new BackingStore(backing.path(), new Format(backing.format())));
        }
    }

    record VolumeTarget(Format format, String compat) {
    }

    record BackingStore(String path, Format format) {
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
