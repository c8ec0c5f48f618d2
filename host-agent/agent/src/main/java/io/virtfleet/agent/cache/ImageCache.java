package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed image cache: {@code <cacheDir>/sha256/<hex>} holds the image (as downloaded, e.g. compressed
 * qcow2) whose SHA-256 is {@code <hex>}. An entry is trusted by its name: a download streams through the digest once
 * into {@code <cacheDir>/tmp} (same filesystem, so the final rename is atomic) and is renamed into place only when
 * the digest matches, so a partial or corrupt file never becomes an entry. Concurrent requests for one digest share
 * one download.
 */
public final class ImageCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path entriesDir;
    private final Path tmpDir;
    private final Optional<S3ObjectStore> store;
    private final Map<String, ImageFetch> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService downloads;

    /**
     * @param store where images come from; empty when the agent has no object store configured
     */
    public ImageCache(Path cacheDir, Optional<S3ObjectStore> store, int downloadThreads) {
        this.entriesDir = cacheDir.resolve("sha256");
        this.tmpDir = cacheDir.resolve("tmp");
        this.store = store;
        try {
            Files.createDirectories(entriesDir);
            Files.createDirectories(tmpDir);
            deleteLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare image cache in " + cacheDir, e);
        }
        this.downloads = Executors.newFixedThreadPool(downloadThreads, Thread.ofPlatform().name("image-download-", 0).factory());
    }

    /**
     * Starts (or joins) getting the image into the cache. Resolves the expected digest first (from the argument, else
     * from {@code <url>.sha256}), so failures to do so are thrown right here.
     *
     * @param expectedSha256 the digest the image must have; null to read it from the sidecar
     */
    public ImageFetch fetch(String url, String expectedSha256) {
        ImageUrl imageUrl = ImageUrl.parse(url);
        S3ObjectStore objects = store.orElseThrow(() -> new AgentException(Kind.CONFLICT,
                AgentErrorReasons.UNSUPPORTED_IMAGE_URL, "no object store is configured on this host (S3_ENDPOINT) for " + url));
        String sha256 = expectedSha256 != null ? Sha256.normalize(expectedSha256) : sidecarDigest(objects, imageUrl);
        Optional<CachedImage> cached = entry(sha256);
        if (cached.isPresent()) {
            LOG.info("image cache hit url={} sha256={}", url, sha256);
            return ImageFetch.hit(cached.get());
        }
        ImageFetch fetch = new ImageFetch(sha256);
        ImageFetch running = inFlight.putIfAbsent(sha256, fetch);
        if (running != null) {
            LOG.info("image download joined url={} sha256={}", url, sha256);
            return running;
        }
        // Started only once registered, so its removal from inFlight at the end cannot come first.
        downloads.execute(() -> runDownload(objects, imageUrl, fetch));
        return fetch;
    }

    /** The cached image with this digest, if present. */
    public Optional<CachedImage> entry(String sha256) {
        Path path = entriesDir.resolve(sha256);
        try {
            return Files.isRegularFile(path) ? Optional.of(new CachedImage(path, sha256, Files.size(path))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // vanished between the two calls: treat as a miss
        }
    }

    @Override
    public void close() {
        downloads.shutdownNow();
    }

    private static String sidecarDigest(S3ObjectStore objects, ImageUrl imageUrl) {
        ImageUrl sidecar = imageUrl.sidecar();
        String content = objects.readSmallText(sidecar).orElseThrow(() -> new AgentException(Kind.CONFLICT,
                AgentErrorReasons.CHECKSUM_UNAVAILABLE,
                "no imageSha256 given and no checksum file " + sidecar + " exists"));
        return Sha256.parseSidecar(content, sidecar);
    }

    private void runDownload(S3ObjectStore objects, ImageUrl url, ImageFetch fetch) {
        try {
            // Another fetch may have completed between the hit check and the registration.
            CachedImage image = entry(fetch.sha256()).orElseGet(() -> download(objects, url, fetch));
            inFlight.remove(fetch.sha256(), fetch);
            fetch.complete(image);
        } catch (RuntimeException e) {
            inFlight.remove(fetch.sha256(), fetch);
            LOG.warn("image download failed url={} sha256={} error={}", url, fetch.sha256(), e.getMessage());
            fetch.fail(e);
        }
    }

    private CachedImage download(S3ObjectStore objects, ImageUrl url, ImageFetch fetch) {
        long started = System.nanoTime();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(tmpDir, fetch.sha256() + "-", ".part");
            String actual;
            try (S3ObjectStore.ObjectStream object = objects.open(url);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                fetch.total(object.sizeBytes());
                actual = copyHashing(object.body(), out, fetch);
                out.force(true); // the rename below must never expose data that is not on disk yet
            }
            if (!actual.equals(fetch.sha256())) {
                throw new AgentException(Kind.CONFLICT, AgentErrorReasons.CHECKSUM_MISMATCH,
                        "image " + url + " has SHA-256 " + actual + " but " + fetch.sha256() + " was expected");
            }
            Path entry = entriesDir.resolve(fetch.sha256());
            Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            DurableFiles.syncDirectory(entriesDir);
            long size = Files.size(entry);
            LOG.info("image cached url={} sha256={} bytes={} millis={}", url, fetch.sha256(), size,
                    (System.nanoTime() - started) / 1_000_000);
            return new CachedImage(entry, fetch.sha256(), size);
        } catch (IOException e) {
            throw S3ObjectStore.downloadFailed(url, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static String copyHashing(InputStream in, FileChannel out, ImageFetch fetch) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            fetch.advance(n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Partial downloads of a previous run are useless: nobody can resume them. */
    private void deleteLeftovers() throws IOException {
        try (Stream<Path> leftovers = Files.list(tmpDir)) {
            leftovers.forEach(ImageCache::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot delete file={} error={}", path, e.getMessage());
        }
    }
}
