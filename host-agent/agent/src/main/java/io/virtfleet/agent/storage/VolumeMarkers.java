package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes {@link VolumeMarker}s; a crash while writing leaves the old marker or the new one, never half. */
final class VolumeMarkers {
    /** Makes a directory's entries durable; a seam so that tests can see when it happens. */
    @FunctionalInterface
    interface DirectorySync {
        void sync(Path dir) throws IOException;
    }

    private final Path dir;
    private final DirectorySync directorySync;

    VolumeMarkers(Path stateDir) {
        this(stateDir, DurableFiles::syncDirectory);
    }

    VolumeMarkers(Path stateDir, DirectorySync directorySync) {
        this.directorySync = directorySync;
        this.dir = stateDir.resolve("volumes");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Optional<VolumeMarker> read(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentJson.MAPPER.readValue(file.toFile(), VolumeMarker.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read volume marker " + file, e);
        }
    }

    void write(VolumeMarker marker) {
        Path target = file(marker.name());
        try {
            DurableFiles.replaceAtomically(target, AgentJson.MAPPER.writeValueAsBytes(marker));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write volume marker " + target, e);
        }
    }

    /**
     * Removes the marker durably: when this returns, the removal is on disk (the directory is fsynced), so a crash or
     * power loss during the population that follows cannot bring back a Ready marker for a half-written volume.
     */
    void delete(String name) {
        try {
            if (Files.deleteIfExists(file(name))) {
                directorySync.sync(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete volume marker " + file(name), e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }
}
