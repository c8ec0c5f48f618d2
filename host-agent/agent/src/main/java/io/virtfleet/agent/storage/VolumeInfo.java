package io.virtfleet.agent.storage;

/**
 * A libvirt storage volume as the agent sees it.
 *
 * @param backing the cache entry under a copy-on-write (qcow2 overlay) volume; null for a raw volume
 */
public record VolumeInfo(String pool, String name, String path, long capacityBytes, boolean blockDevice,
                         VolumeBacking backing) {
    public VolumeInfo(String pool, String name, String path, long capacityBytes, boolean blockDevice) {
        this(pool, name, path, capacityBytes, blockDevice, null);
    }

    VolumeInfo withBacking(VolumeBacking over) {
        return new VolumeInfo(pool, name, path, capacityBytes, blockDevice, over);
    }
}
