package io.virtfleet.agent.storage;

import io.virtfleet.agent.contract.SnapshotStatus;

/**
 * A complete snapshot, written after its data was captured and flushed: {@code <stateDir>/snapshots/<name>.json}. A
 * snapshot volume without a record is an interrupted capture; the next request captures it again.
 *
 * @param storageVolume the pool's volume holding the data: {@code <name>_snapshot} (the API's names never hold '_')
 * @param method        {@link SnapshotStorage#COPY} or {@link SnapshotStorage#LVM}
 */
record SnapshotRecord(String name, String volume, String pool, String storageVolume, long sizeBytes, String createdAt,
                      String method) {
    static String storageVolumeOf(String snapshot) {
        return snapshot + "_snapshot";
    }

    SnapshotStatus status(String devicePath) {
        return new SnapshotStatus(name, volume, pool, devicePath, sizeBytes, createdAt, method);
    }
}
