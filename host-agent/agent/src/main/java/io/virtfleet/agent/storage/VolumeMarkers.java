package io.virtfleet.agent.storage;

import io.virtfleet.agent.DurableFiles;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes {@link VolumeMarker}s; a crash while writing leaves the old marker or the new one, never half. */
final class VolumeMarkers {
    private final JsonRecords<VolumeMarker> records;

    VolumeMarkers(Path stateDir) {
        this(stateDir, DurableFiles::syncDirectory);
    }

    VolumeMarkers(Path stateDir, JsonRecords.DirectorySync directorySync) {
        this.records = new JsonRecords<>(stateDir.resolve("volumes"), VolumeMarker.class, directorySync);
    }

    Optional<VolumeMarker> read(String name) {
        return records.read(name);
    }

    void write(VolumeMarker marker) {
        records.write(marker.name(), marker);
    }

    /**
     * Removes the marker durably: when this returns, the removal is on disk (the directory is fsynced), so a crash or
     * power loss during the population that follows cannot bring back a Ready marker for a half-written volume.
     */
    void delete(String name) {
        records.delete(name);
    }
}
