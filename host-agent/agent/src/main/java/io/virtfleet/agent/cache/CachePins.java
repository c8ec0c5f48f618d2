package io.virtfleet.agent.cache;

import io.virtfleet.agent.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pins that outlive a fetch: a copy-on-write volume whose backing file is an entry holds that entry for as long as
 * the volume exists, across agent restarts. One file per holder, {@code <cacheDir>/pins/<holder>}, holding the digest;
 * a holder pins at most one entry. A second instance in {@code <cacheDir>/catalog-pins} holds the catalogue's pins
 * (holders are VirtualMachineImage names), so a catalogue name never collides with a volume name.
 *
 * <p>Pins change outside the cache's lock: a holder pins only while an open fetch already holds the entry, and an
 * unpin only lets eviction take the entry later. {@link CacheIndex} reads {@link #digests()} under its lock.
 */
final class CachePins {
    /** Holders are agent volume names ({@code <namespace>.<name>}): no separators, nothing that walks the tree. */
    private static final Pattern HOLDER = Pattern.compile("[a-z0-9][a-z0-9.-]{0,252}");

    private final Path dir;
    private final Map<String, String> byHolder = new ConcurrentHashMap<>();

    CachePins(Path cacheDir) {
        this(cacheDir, "pins");
    }

    /** @param kind the holders' directory under the cache: {@code pins} (volumes), {@code catalog-pins} (catalogue) */
    CachePins(Path cacheDir, String kind) {
        this.dir = cacheDir.resolve(kind);
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    byHolder.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.US_ASCII).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache pins in " + dir, e);
        }
    }

    /** Pins {@code sha256} for {@code holder} (replacing what it pinned before), durably before it returns. */
    void pin(String holder, String sha256) {
        Path file = file(holder);
        try {
            DurableFiles.replaceAtomically(file, sha256.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record cache pin " + file, e);
        }
        byHolder.put(holder, sha256);
    }

    /** Drops the holder's pin; absent is fine. */
    void unpin(String holder) {
        Path file = file(holder);
        try {
            Files.deleteIfExists(file);
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cache pin " + file, e);
        }
        byHolder.remove(holder);
    }

    Optional<String> pinnedBy(String holder) {
        return Optional.ofNullable(byHolder.get(holder));
    }

    /** The pinned digests (a digest pinned by several holders appears once or more). */
    Collection<String> digests() {
        return List.copyOf(byHolder.values());
    }

    /** Every holder and its digest. */
    Map<String, String> all() {
        return Map.copyOf(byHolder);
    }

    /** Whether {@code holder} is a name this class accepts (no separators, nothing that walks the tree). */
    static boolean validHolder(String holder) {
        return holder != null && HOLDER.matcher(holder).matches();
    }

    /** The holders of {@code sha256}. */
    List<String> holders(String sha256) {
        return byHolder.entrySet().stream().filter(e -> e.getValue().equals(sha256)).map(Map.Entry::getKey).sorted()
                .toList();
    }

    private Path file(String holder) {
        if (!HOLDER.matcher(holder).matches()) {
            throw new IllegalArgumentException("not a pin holder name: " + holder);
        }
        return dir.resolve(holder);
    }
}
