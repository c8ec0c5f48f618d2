package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.storage.VolumeInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A domain request with everything the host resolved for it: the definition is a pure function of this.
 *
 * @param domainType  libvirt domain type chosen for this host ({@code kvm} or {@code qemu})
 * @param uuid        the domain's UUID; an existing domain keeps its own
 * @param dataDisks   the data disk volumes, in request order
 * @param seedIso     the cloud-init seed ISO; null when the request has no cloud-init
 * @param uefi        UEFI firmware files; null for BIOS
 * @param nics        NICs with their final MACs (null lets libvirt choose one)
 * @param consoles    the serial console's log and socket, the VNC socket
 * @param seedSha256  digest of the seed content, part of the definition's fingerprint; null without a seed
 */
public record DomainPlan(String name, UUID uuid, String domainType, DomainRequest request, VolumeInfo rootVolume,
                         List<DataDiskVolume> dataDisks, Path seedIso, FirmwareCatalog.Uefi uefi, List<Nic> nics,
                         ConsoleFiles consoles, String seedSha256) {

    /** A data disk volume and its guest device. */
    public record DataDiskVolume(String device, VolumeInfo volume) {
    }

    /**
     * A NIC on a host bridge or a libvirt network ({@code network} is libvirt's name), with its traffic filter (null:
     * none, where the platform allows anti-spoofing off).
     */
    public record Nic(String bridge, String network, String mac, DomainXml.FilterRef filter) {
        public Nic(String bridge, String mac) {
            this(bridge, null, mac, null);
        }
    }
}
