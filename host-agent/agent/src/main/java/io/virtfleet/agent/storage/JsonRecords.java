package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records of one type kept as {@code <dir>/<name>.json}: written atomically and durably (a crash leaves the old record
 * or the new one, never half), removed durably.
 */
final class JsonRecords<T> {
    /** Makes a directory's entries durable; a seam so that tests can see when it happens. */
    @FunctionalInterface
    interface DirectorySync {
        void sync(Path dir) throws IOException;
    }

    private final Path dir;
    private final Class<T> type;
    private final DirectorySync directorySync;

    JsonRecords(Path dir, Class<T> type) {
        this(dir, type, DurableFiles::syncDirectory);
    }

    JsonRecords(Path dir, Class<T> type, DirectorySync directorySync) {
        this.dir = dir;
        this.type = type;
        this.directorySync = directorySync;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Optional<T> read(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentJson.MAPPER.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    List<T> list() {
        List<T> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String fileName = file.getFileName().toString();
                read(fileName.substring(0, fileName.length() - ".json".length())).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    void write(String name, T value) {
        Path target = file(name);
        try {
            DurableFiles.replaceAtomically(target, AgentJson.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    void delete(String name) {
        try {
            if (Files.deleteIfExists(file(name))) {
                directorySync.sync(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(name), e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }
}
