package io.virtfleet.agent.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's files. Layout under the cache folder:
 * <pre>
 * sha256/&lt;hex&gt;         an entry: the image, named by its SHA-256 (the only thing that makes an entry)
 * meta/&lt;hex&gt;.json      its metadata: format, virtual size, sources, last use
 * by-url/&lt;hash&gt;.json   for images without any checksum: URL (redacted) + ETag/Last-Modified → digest
 * tmp/                  downloads in progress, removed at start
 * </pre>
 * An entry appears only by an atomic rename of a complete, fsynced, verified file; metadata is written before the
 * rename. At start, leftovers in {@code tmp} are deleted, metadata without an entry is dropped and an entry without
 * metadata (written by an earlier version) gets it rebuilt from its header.
 */
final class CacheStore {
    private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);

    /**
     * An entry as the cache keeps it.
     *
     * @param sourceUrls      URLs it was requested by (redacted: no query), for the listing
     * @param verifiedSources URLs (redacted) whose bytes were downloaded and matched the digest: a hit needs the
     *                        request's URL among them. Empty in metadata written before this field existed
     * @param tenants         tenants (namespaces; {@link ImageRequest#PLATFORM} for the platform's own requests) that
     *                        proved they can read a verified source with their own credentials
     */
    record Entry(String sha256, long sizeBytes, String format, Long virtualSizeBytes, String lastUsed,
                 List<String> sourceUrls, List<String> verifiedSources, List<String> tenants) {
        Entry {
            sourceUrls = sourceUrls == null ? List.of() : List.copyOf(sourceUrls);
            verifiedSources = verifiedSources == null ? List.of() : List.copyOf(verifiedSources);
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
        }

        Entry(String sha256, long sizeBytes, String format, Long virtualSizeBytes, String lastUsed,
              List<String> sourceUrls) {
            this(sha256, sizeBytes, format, virtualSizeBytes, lastUsed, sourceUrls, List.of(), List.of());
        }

        Entry usedAt(Instant when) {
            return new Entry(sha256, sizeBytes, format, virtualSizeBytes, when.toString(), sourceUrls, verifiedSources,
                    tenants);
        }

        Entry withSource(String url) {
            return new Entry(sha256, sizeBytes, format, virtualSizeBytes, lastUsed, added(sourceUrls, url),
                    verifiedSources, tenants);
        }

        /** Records a URL whose bytes matched the digest, and tenants that read it with their own credentials. */
        Entry authorized(String url, Collection<String> readers) {
            List<String> all = tenants;
            for (String tenant : readers) {
                all = added(all, tenant);
            }
            return new Entry(sha256, sizeBytes, format, virtualSizeBytes, lastUsed, added(sourceUrls, url),
                    url == null ? verifiedSources : added(verifiedSources, url), all);
        }

        Instant lastUsedInstant() {
            return Instant.parse(lastUsed);
        }

        private static List<String> added(List<String> list, String value) {
            if (value == null || list.contains(value)) {
                return list;
            }
            List<String> more = new ArrayList<>(list);
            more.add(value);
            return more;
        }
    }

    /** What an image without checksum was at its URL when it was cached. */
    record UrlRecord(String url, String validator, String sha256) {
    }

    private final Path entriesDir;
    private final Path metaDir;
    private final Path urlDir;
    private final Path tmpDir;

    CacheStore(Path cacheDir) {
        this.entriesDir = cacheDir.resolve("sha256");
        this.metaDir = cacheDir.resolve("meta");
        this.urlDir = cacheDir.resolve("by-url");
        this.tmpDir = cacheDir.resolve("tmp");
        try {
            for (Path dir : List.of(entriesDir, metaDir, urlDir, tmpDir)) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare image cache in " + cacheDir, e);
        }
    }

    Path tmpDir() {
        return tmpDir;
    }

    Path entryPath(String sha256) {
        return entriesDir.resolve(sha256);
    }

    /** Recovers after a start: removes partial downloads and stray metadata, returns the entries by digest. */
    Map<String, Entry> load() {
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        try {
            deleteAll(tmpDir);
            for (Path file : list(entriesDir)) {
                String sha256 = file.getFileName().toString();
                if (!Sha256.isDigest(sha256) || !Files.isRegularFile(file)) {
                    LOG.warn("image cache ignores file={} (not an entry)", file);
                    continue;
                }
                entries.put(sha256, readMeta(sha256).filter(m -> m.sizeBytes() == sizeOf(file))
                        .orElseGet(() -> rebuildMeta(sha256, file)));
            }
            for (Path meta : list(metaDir)) {
                String name = meta.getFileName().toString();
                if (!entries.containsKey(name.replace(".json", ""))) {
                    Files.deleteIfExists(meta);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image cache in " + entriesDir.getParent(), e);
        }
        return entries;
    }

    Path newTempFile(String prefix) throws IOException {
        Path tmp = Files.createTempFile(tmpDir, prefix + "-", ".part");
        Files.delete(tmp); // the downloader creates it (CREATE_NEW); the unique name is what we wanted
        return tmp;
    }

    /** Makes {@code tmp} the entry {@code entry.sha256()}: metadata first, then the atomic rename, then the folder sync. */
    void commit(Path tmp, Entry entry) throws IOException {
        writeMeta(entry);
        Files.move(tmp, entryPath(entry.sha256()), StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(entriesDir);
    }

    void writeMeta(Entry entry) throws IOException {
        DurableFiles.replaceAtomically(metaDir.resolve(entry.sha256() + ".json"), AgentJson.MAPPER.writeValueAsBytes(entry));
    }

    /** Deletes an entry: the image first (so that a crash in between leaves stray metadata, dropped at start). */
    void delete(String sha256) throws IOException {
        Files.deleteIfExists(entryPath(sha256));
        Files.deleteIfExists(metaDir.resolve(sha256 + ".json"));
    }

    Optional<UrlRecord> readUrlRecord(ImageUrl url) {
        Path file = urlDir.resolve(urlKey(url) + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentJson.MAPPER.readValue(file.toFile(), UrlRecord.class));
        } catch (IOException e) {
            LOG.warn("image cache ignores unreadable file={} error={}", file, e.getMessage());
            return Optional.empty();
        }
    }

    void writeUrlRecord(ImageUrl url, UrlRecord record) throws IOException {
        DurableFiles.replaceAtomically(urlDir.resolve(urlKey(url) + ".json"), AgentJson.MAPPER.writeValueAsBytes(record));
    }

    /** The URL's file name: a hash of the full URL, which may hold a token that must not lie around in clear. */
    private static String urlKey(ImageUrl url) {
        return HexFormat.of().formatHex(Sha256.newDigest().digest(url.text().getBytes(StandardCharsets.UTF_8)));
    }

    private Optional<Entry> readMeta(String sha256) {
        Path file = metaDir.resolve(sha256 + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentJson.MAPPER.readValue(file.toFile(), Entry.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Entry rebuildMeta(String sha256, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ImageFormat format = ImageFormat.sniff(in.readNBytes(Downloader.HEADER_BYTES), Files.size(file));
            Entry entry = new Entry(sha256, Files.size(file), format.name(), format.virtualSizeBytes(),
                    Files.getLastModifiedTime(file).toInstant().toString(), List.of());
            writeMeta(entry);
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache entry " + file, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        for (Path file : list(dir)) {
            Files.deleteIfExists(file);
        }
    }
}
