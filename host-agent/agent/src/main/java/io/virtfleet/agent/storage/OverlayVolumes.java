package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.cache.CachedImage;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.cache.ImageFormat;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy-on-write root volumes: a qcow2 overlay in a file-based pool whose backing file is one of the agent's own
 * verified cache entries. The backing is only ever a {@link CachedImage} the cache handed out (a request cannot name
 * a path), its format is the one the inspector found and is written into the overlay's header ({@code -F}), and the
 * entry is pinned in the cache from before the overlay exists until after it is deleted.
 *
 * <p>Logical (LVM) pools are refused: a thin snapshot needs the image as a thin-pool origin volume, which is not
 * built (and cannot be exercised on hosts without device-mapper).
 */
final class OverlayVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayVolumes.class);

    private final StoragePools pools;
    private final ImageCache cache;

    OverlayVolumes(StoragePools pools, ImageCache cache) {
        this.pools = pools;
        this.cache = cache;
    }

    /** Refuses an overlay in a pool that cannot hold one, before anything is downloaded or created. */
    void requireSupported(String pool) {
        String type = pools.poolType(pool);
        if (!StoragePools.fileBased(type)) {
            throw AgentException.conflict(AgentErrorReasons.PROVISIONING_NOT_SUPPORTED, "storage pool " + pool
                    + " is of type " + type + "; Overlay provisioning needs a file-based pool (dir): thin snapshots"
                    + " in logical (LVM) pools are not built. Use provisioning Copy or a dir pool");
        }
    }

    /**
     * Creates the overlay afresh (an existing volume of that name, a former copy or overlay, is deleted first: a fresh
     * copy of an image is an empty layer over it), pinning {@code image} for it first. Call while an open fetch holds
     * {@code image}.
     */
    VolumeInfo create(String pool, String name, long sizeBytes, CachedImage image, ImageFormat format) {
        VolumeBacking backing = new VolumeBacking(image.path().toString(), format.name());
        cache.pinForVolume(name, image);
        pools.deleteVolume(pool, name);
        VolumeInfo created = pools.create(pool, StorageXml.Volume.overlay(name, sizeBytes, backing));
        String path = created.path();
        try {
            DurableFiles.force(Path.of(path)); // Ready means the overlay's header is on disk
            DurableFiles.syncDirectory(Path.of(path).getParent());
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot flush overlay " + path + ": " + e.getMessage(), e);
        }
        LOG.info("overlay volume created volume={} pool={} bytes={} backingSha256={} backingFormat={}", name, pool,
                sizeBytes, image.sha256(), format.name());
        return created.withBacking(backing);
    }

    /**
     * Before a full copy into {@code name}: a volume that is (or may be, after a crash) an overlay is deleted and its
     * pin dropped, so that the copy gets a raw volume of its own.
     */
    void removeFormerOverlay(String pool, String name) {
        if (cache.pinnedBy(name).isPresent()) {
            pools.deleteVolume(pool, name);
            cache.unpinVolume(name);
        }
    }

    /** After the volume was deleted: its cache entry may go again. */
    void released(String name) {
        cache.unpinVolume(name);
    }

    /** The backing of a Ready overlay, or 409 VolumeNotReady when its cache entry is gone (removed as corrupt or unsafe). */
    VolumeInfo withBacking(VolumeInfo volume, VolumeMarker marker) {
        CachedImage image = cache.cached(marker.imageSha256()).orElseThrow(() -> AgentException.conflict(
                AgentErrorReasons.VOLUME_NOT_READY, "overlay volume " + marker.name() + " lost its backing image "
                        + marker.imageSha256() + " (removed from the cache as corrupt or unsafe); reprovision it"));
        return volume.withBacking(new VolumeBacking(image.path().toString(), marker.backingFormat()));
    }
}
