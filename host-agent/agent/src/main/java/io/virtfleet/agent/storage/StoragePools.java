package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import io.virtfleet.agent.libvirt.LibvirtXml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.StorageVolInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes through libvirt's storage API. Pool-agnostic: a {@code dir} pool (development, tests) and a
 * {@code logical} pool (an LVM volume group, production) are driven by the same calls.
 */
public final class StoragePools {
    private static final Logger LOG = LoggerFactory.getLogger(StoragePools.class);
    /** Pool types whose volumes are files: these take a format and can be sparse. */
    private static final Set<String> FILE_POOL_TYPES = Set.of("dir", "fs", "netfs");

    private final LibvirtConnection libvirt;

    public StoragePools(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    /** Makes sure a {@code dir} pool named {@code name} exists and runs, defining it at {@code path} if missing. */
    public void ensureDirectoryPool(String name, Path path) {
        libvirt.call("prepare storage pool " + name, connect -> {
            Optional<StoragePool> existing = lookupPool(connect, name);
            StoragePool pool;
            if (existing.isPresent()) {
                pool = existing.get();
            } else {
                pool = connect.storagePoolDefineXML(LibvirtXml.write(StorageXml.Pool.directory(name, path.toString())), 0);
                pool.build(0);
                pool.setAutostart(1);
                LOG.info("storage pool defined pool={} type=dir path={}", name, path);
            }
            if (pool.isActive() == 0) {
                pool.create(0);
                LOG.info("storage pool started pool={}", name);
            }
            return null;
        });
    }

    /** Fails with PoolNotFound unless the pool exists and is active. */
    public void requireActivePool(String name) {
        boolean active = libvirt.call("look up storage pool " + name,
                connect -> lookupPool(connect, name).map(StoragePools::isActive).orElse(false));
        if (!active) {
            throw new AgentException(Kind.CONFLICT, AgentErrorReasons.POOL_NOT_FOUND,
                    "storage pool " + name + " does not exist or is not running on this host");
        }
    }

    /** Names of the active pools, where volumes of unknown pool are looked for. */
    public List<String> activePools() {
        return libvirt.call("list storage pools", connect -> Arrays.asList(connect.listStoragePools()));
    }

    /** The target paths of the active pools (directories, or {@code /dev/<vg>} for logical pools). */
    public List<Path> targetPaths() {
        return libvirt.call("list storage pool paths", connect -> {
            List<Path> paths = new ArrayList<>();
            for (String poolName : connect.listStoragePools()) {
                Optional<StoragePool> pool = lookupPool(connect, poolName);
                if (pool.isPresent()) {
                    LibvirtXml.parse(pool.get().getXMLDesc(0)).value("/pool/target/path")
                            .ifPresent(path -> paths.add(Path.of(path)));
                }
            }
            return paths;
        });
    }

    public Optional<VolumeInfo> findVolume(String poolName, String volumeName) {
        return libvirt.call("look up volume " + poolName + "/" + volumeName, connect -> {
            Optional<StoragePool> pool = lookupPool(connect, poolName);
            if (pool.isEmpty()) {
                return Optional.empty();
            }
            Optional<StorageVol> vol = lookupVolume(pool.get(), volumeName);
            return vol.isEmpty() ? Optional.<VolumeInfo>empty() : Optional.of(describe(poolName, vol.get()));
        });
    }

    /**
     * Creates a raw volume of {@code sizeBytes}, or grows an existing smaller one; an existing bigger one is kept as
     * it is (volumes never shrink: callers that must not accept a bigger volume check its capacity). Whatever a new
     * volume or a grown tail holds reads as zeros before anyone sees it ({@link #newVolumesReadZeros}).
     */
    public PreparedVolume createOrGrow(String poolName, String volumeName, long sizeBytes) {
        return libvirt.call("create volume " + poolName + "/" + volumeName, connect -> {
            StoragePool pool = connect.storagePoolLookupByName(poolName);
            Optional<StorageVol> existing = lookupVolume(pool, volumeName);
            if (existing.isPresent()) {
                return new PreparedVolume(growZeroed(pool, poolName, existing.get(), sizeBytes), false);
            }
            boolean fileBased = FILE_POOL_TYPES.contains(poolType(pool));
            StorageXml.Volume xml = StorageXml.Volume.raw(volumeName, sizeBytes, fileBased);
            StorageVol vol = pool.storageVolCreateXML(LibvirtXml.write(xml), 0);
            LOG.info("volume created volume={} pool={} bytes={}", volumeName, poolName, sizeBytes);
            if (!newVolumesReadZeros(poolType(pool))) {
                vol.wipe(); // a new logical volume may hold a deleted volume's blocks: zero all of it first
                LOG.info("volume wiped volume={} pool={} bytes={}", volumeName, poolName, sizeBytes);
            }
            return new PreparedVolume(describe(poolName, vol), true);
        });
    }

    /** Grows an existing volume to {@code sizeBytes} (no-op when it is that big already); the new tail reads zeros. */
    public VolumeInfo grow(String poolName, String volumeName, long sizeBytes) {
        return libvirt.call("grow volume " + poolName + "/" + volumeName, connect -> {
            StoragePool pool = connect.storagePoolLookupByName(poolName);
            return growZeroed(pool, poolName, pool.storageVolLookupByName(volumeName), sizeBytes);
        });
    }

    /** Creates a volume from its definition (a qcow2 overlay); an existing volume of that name makes this fail. */
    VolumeInfo create(String poolName, StorageXml.Volume xml) {
        return libvirt.call("create volume " + poolName + "/" + xml.name(), connect -> describe(poolName,
                connect.storagePoolLookupByName(poolName).storageVolCreateXML(LibvirtXml.write(xml), 0)));
    }

    /** The pool's type ({@code dir}, {@code logical}, ...); PoolNotFound when it does not exist. */
    String poolType(String poolName) {
        return libvirt.call("look up storage pool " + poolName, connect -> poolType(connect.storagePoolLookupByName(poolName)));
    }

    /** The volume group of a {@code logical} pool ({@code /pool/source/name}). */
    String volumeGroup(String poolName) {
        return libvirt.call("look up storage pool " + poolName, connect -> LibvirtXml.parse(
                connect.storagePoolLookupByName(poolName).getXMLDesc(0)).value("/pool/source/name").orElse(poolName));
    }

    /** Makes libvirt see volumes made outside its API (an LVM snapshot). */
    void refresh(String poolName) {
        libvirt.call("refresh storage pool " + poolName, connect -> {
            connect.storagePoolLookupByName(poolName).refresh(0);
            return null;
        });
    }

    /** Pools whose volumes are files: these take a format (qcow2 overlays among them) and can be sparse. */
    static boolean fileBased(String poolType) {
        return FILE_POOL_TYPES.contains(poolType);
    }

    /**
     * The one rule about stale data: a new volume of a file-based pool is a sparse file and reads zeros by
     * construction (so does a grown file's tail); a volume of any other pool type ({@code logical}: extents reused
     * from deleted volumes of any tenant) is zeroed by the agent before use, in full when new, its tail when grown.
     */
    static boolean newVolumesReadZeros(String poolType) {
        return FILE_POOL_TYPES.contains(poolType);
    }

    private VolumeInfo growZeroed(StoragePool pool, String poolName, StorageVol vol, long sizeBytes)
            throws LibvirtException {
        long before = vol.getInfo().capacity;
        if (before < sizeBytes) {
            vol.resize(sizeBytes, 0);
            LOG.info("volume grown volume={} pool={} bytes={}", vol.getName(), poolName, sizeBytes);
            if (!newVolumesReadZeros(poolType(pool))) {
                long after = vol.getInfo().capacity;
                try {
                    ZeroFill.range(Path.of(vol.getPath()), before, after);
                } catch (java.io.IOException e) {
                    throw new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_ERROR, "cannot zero the grown tail"
                            + " of volume " + poolName + "/" + vol.getName() + ": " + e.getMessage(), e);
                }
            }
        }
        return describe(poolName, vol);
    }

    private static String poolType(StoragePool pool) throws LibvirtException {
        return LibvirtXml.parse(pool.getXMLDesc(0)).value("/pool/@type").orElse("");
    }

    /** The volumes of all active pools whose name matches, e.g. the data disks of one domain. */
    public List<VolumeInfo> findVolumes(Predicate<String> nameMatches) {
        return libvirt.call("list volumes", connect -> {
            List<VolumeInfo> found = new ArrayList<>();
            for (String poolName : connect.listStoragePools()) {
                Optional<StoragePool> pool = lookupPool(connect, poolName);
                if (pool.isEmpty()) {
                    continue;
                }
                for (String volumeName : pool.get().listVolumes()) {
                    if (nameMatches.test(volumeName)) {
                        lookupVolume(pool.get(), volumeName).ifPresent(vol -> found.add(describeUnchecked(poolName, vol)));
                    }
                }
            }
            return found;
        });
    }

    /** Deletes the volume; an absent volume or pool is not an error (deletion is idempotent). */
    public void deleteVolume(String poolName, String volumeName) {
        libvirt.call("delete volume " + poolName + "/" + volumeName, connect -> {
            Optional<StoragePool> pool = lookupPool(connect, poolName);
            Optional<StorageVol> vol = pool.isEmpty() ? Optional.empty() : lookupVolume(pool.get(), volumeName);
            if (vol.isPresent()) {
                vol.get().delete(0);
                LOG.info("volume deleted volume={} pool={}", volumeName, poolName);
            }
            return null;
        });
    }

    private static VolumeInfo describe(String poolName, StorageVol vol) throws LibvirtException {
        StorageVolInfo info = vol.getInfo();
        return new VolumeInfo(poolName, vol.getName(), vol.getPath(), info.capacity,
                info.type == StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_BLOCK);
    }

    private static VolumeInfo describeUnchecked(String poolName, StorageVol vol) {
        try {
            return describe(poolName, vol);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate("describe volume " + poolName, e);
        }
    }

    private static boolean isActive(StoragePool pool) {
        try {
            return pool.isActive() == 1;
        } catch (LibvirtException e) {
            return false;
        }
    }

    private static Optional<StoragePool> lookupPool(Connect connect, String name) throws LibvirtException {
        return LibvirtErrors.unlessNotFound(() -> connect.storagePoolLookupByName(name));
    }

    private static Optional<StorageVol> lookupVolume(StoragePool pool, String name) throws LibvirtException {
        return LibvirtErrors.unlessNotFound(() -> pool.storageVolLookupByName(name));
    }
}
