package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cloudinit.SeedStore;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.agent.storage.PreparedVolume;
import io.virtfleet.agent.storage.StoragePools;
import io.virtfleet.agent.storage.VolumeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a domain owns on the host besides its definition: data disks ({@code <domain>_vdb}.. in the root volume's
 * pool), the cloud-init seed and the serial console log. A data disk's name contains '_', which no name from the API
 * may contain: it can never be another object's volume, so cleanup by name removes only this domain's disks. Prepared before the definition and removed with it; what a
 * failed preparation created is removed again, so a refused request leaves nothing behind.
 */
final class DomainResources {
    private static final Logger LOG = LoggerFactory.getLogger(DomainResources.class);
    /** Between the domain's name and the device in a data disk's volume name; never part of an API name. */
    static final String DATA_DISK_SEPARATOR = "_";

    private final StoragePools pools;
    private final SeedStore seeds;
    private final FirmwareCatalog firmware;
    private final Path consoleDir;
    private final Path socketDir;

    DomainResources(StoragePools pools, SeedStore seeds, FirmwareCatalog firmware, Path stateDir) {
        this.pools = pools;
        this.seeds = seeds;
        this.firmware = firmware;
        this.consoleDir = stateDir.resolve("consoles");
        this.socketDir = ConsoleFiles.socketDirFor(consoleDir);
        try {
            Files.createDirectories(consoleDir);
            Files.createDirectories(socketDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + socketDir, e);
        }
    }

    /** A plan whose host resources exist, and how to remove the ones this preparation created. */
    record Prepared(DomainPlan plan, Runnable undo) {
    }

    /** @param definition the existing domain's persistent definition; null for a new domain */
    Prepared prepare(String name, UUID uuid, String domainType, DomainRequest request, VolumeInfo root,
                     String instanceId, String definition) {
        DomainRequests.checkHost(request);
        FirmwareCatalog.Uefi uefi = request.firmware() == DomainRequest.Firmware.UEFI ? firmware.uefi() : null;
        List<DomainPlan.Nic> nics = NicAddressing.nics(name, request);
        List<VolumeInfo> created = new ArrayList<>();
        boolean seedExisted = seeds.read(name).isPresent();
        Runnable undo = () -> {
            created.forEach(disk -> pools.deleteVolume(disk.pool(), disk.name()));
            if (!seedExisted) {
                seeds.delete(name);
            }
        };
        try {
            List<DomainPlan.DataDiskVolume> dataDisks = new ArrayList<>();
            for (DomainRequest.DataDisk disk : DomainRequests.nullToEmpty(request.dataDisks())) {
                dataDisks.add(new DomainPlan.DataDiskVolume(disk.device(),
                        dataDisk(name, root.pool(), disk, created, definition)));
            }
            Path seedIso = null;
            String seedSha256 = null;
            if (request.cloudInit() != null) {
                seedSha256 = seeds.write(name, NicAddressing.seed(request, nics), instanceId).sha256();
                seedIso = seeds.iso(name);
            }
            DomainPlan plan = new DomainPlan(name, uuid, domainType, request, root, dataDisks, seedIso, uefi, nics,
                    consoles(name), seedSha256);
            return new Prepared(plan, undo);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /** Deletes data disks the request no longer lists; only called while the domain is shut off. */
    void removeUnrequestedDataDisks(String name, DomainRequest request) {
        Set<String> wanted = DomainRequests.nullToEmpty(request.dataDisks()).stream()
                .map(disk -> dataDiskName(name, disk.device())).collect(Collectors.toSet());
        for (VolumeInfo disk : dataDisks(name)) {
            if (!wanted.contains(disk.name())) {
                pools.deleteVolume(disk.pool(), disk.name());
                LOG.info("domain={} data disk removed volume={}", name, disk.name());
            }
        }
    }

    /** Removes data disks, seed and console log of a domain that is gone; absent is fine. */
    void deleteAll(String name) {
        for (VolumeInfo disk : dataDisks(name)) {
            pools.deleteVolume(disk.pool(), disk.name());
        }
        seeds.delete(name);
        ConsoleFiles consoles = consoles(name);
        for (Path file : List.of(consoles.log(), consoles.serialSocket(), consoles.vncSocket())) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("domain={} cannot delete console file={} error={}", name, file, e.getMessage());
            }
        }
    }

    Optional<String> instanceId(String name) {
        return seeds.read(name).map(SeedStore.SeedRecord::instanceId);
    }

    ConsoleFiles consoles(String name) {
        return ConsoleFiles.in(consoleDir, socketDir, name);
    }

    /**
     * A data disk named {@code <domain>-<device>} by an earlier agent, which the domain's definition already uses for
     * that device: kept, so that an upgrade does not swap a guest's disk for an empty one. Such a name could also be
     * an API volume's, so it is never deleted by the agent, only left as it was.
     */
    private Optional<String> legacyDataDisk(String name, String pool, String device, String definition) {
        if (definition == null) {
            return Optional.empty();
        }
        String legacy = name + "-" + device;
        LibvirtXml.Parsed xml = LibvirtXml.parse(definition);
        // device is vd[b-z] (validated), safe inside the expression
        boolean used = legacy.equals(xml.value("/domain/devices/disk[target/@dev='" + device + "']/source/@volume")
                .orElse(null)) && pool.equals(xml.value("/domain/devices/disk[target/@dev='" + device
                + "']/source/@pool").orElse(null));
        if (used) {
            LOG.warn("domain={} keeps data disk volume={} named by an earlier agent; it is not deleted with the domain",
                    name, legacy);
        }
        return used ? Optional.of(legacy) : Optional.empty();
    }

    static String dataDiskName(String domain, String device) {
        return domain + DATA_DISK_SEPARATOR + device;
    }

    private List<VolumeInfo> dataDisks(String name) {
        // Only names the agent made for this domain: volumes from the API never contain the separator.
        Pattern diskName = Pattern.compile("^" + Pattern.quote(name + DATA_DISK_SEPARATOR)
                + DomainRequest.DataDisk.DEVICE + "$");
        return pools.findVolumes(volume -> diskName.matcher(volume).matches());
    }

    private VolumeInfo dataDisk(String name, String pool, DomainRequest.DataDisk disk, List<VolumeInfo> created,
                                String definition) {
        String volumeName = legacyDataDisk(name, pool, disk.device(), definition).orElse(dataDiskName(name, disk.device()));
        Optional<VolumeInfo> existing = pools.findVolume(pool, volumeName);
        if (existing.isPresent() && existing.get().capacityBytes() > disk.sizeBytes()) {
            throw AgentException.conflict(AgentErrorReasons.SHRINK_REFUSED, "data disk " + disk.device() + " of domain "
                    + name + " has " + existing.get().capacityBytes() + " bytes and cannot shrink to "
                    + disk.sizeBytes() + " bytes; disks only grow");
        }
        PreparedVolume prepared = pools.createOrGrow(pool, volumeName, disk.sizeBytes());
        if (existing.isEmpty()) {
            created.add(prepared.volume());
        }
        return prepared.volume();
    }
}
