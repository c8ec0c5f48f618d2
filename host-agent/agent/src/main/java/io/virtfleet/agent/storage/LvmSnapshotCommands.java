package io.virtfleet.agent.storage;

import java.util.List;

/**
 * The LVM commands libvirt's storage API has no call for: a snapshot of a logical volume and its merge back into the
 * origin. The snapshot's copy-on-write area is as large as the origin, so it can never fill up and become invalid.
 *
 * @param volumeGroup the logical pool's volume group ({@code /pool/source/name})
 */
record LvmSnapshotCommands(String volumeGroup) {
    /** {@code lvcreate --snapshot}: a point-in-time view of {@code origin}, crash-consistent (LVM suspends I/O for it). */
    List<String> create(String origin, String snapshot, long originBytes) {
        return List.of("lvcreate", "--snapshot", "--size", originBytes + "b", "--name", snapshot,
                volumeGroup + "/" + origin);
    }

    /**
     * {@code lvconvert --merge}: the origin returns to the snapshot's content and the snapshot is consumed; with the
     * origin not open (its domain stopped) the merge starts at once.
     */
    List<String> merge(String snapshot) {
        return List.of("lvconvert", "--merge", volumeGroup + "/" + snapshot);
    }
}
