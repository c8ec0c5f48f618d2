package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.DiskFull;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download threads' work: brings one image into the cache (or re-verifies the entry it already has), verifies and
 * inspects it before the {@link CacheIndex} commits it, and completes the fetches of everyone who shares it.
 */
final class CacheFiller {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class); // the cache's log, as before the split

    private final CacheIndex index;
    private final CacheStore store;
    private final Sources sources;
    private final Downloader downloader;
    private final CacheMetrics metrics;
    private final DownloadLimits limits;
    private final SpaceReservations reservations;

    CacheFiller(CacheIndex index, Sources sources, Downloader downloader, CacheMetrics metrics, DownloadLimits limits) {
        this.limits = limits;
        this.reservations = new SpaceReservations(index.store().tmpDir(), limits.freeReserveBytes());
        this.index = index;
        this.store = index.store();
        this.sources = sources;
        this.downloader = downloader;
        this.metrics = metrics;
    }

    /**
     * Re-verifies an existing entry if asked (and keeps it when sound), else downloads; then completes everyone's fetch.
     *
     * @param knownObject the source's object when already stated; null: stat it here
     * @param reverify    the digest of an entry to re-hash before use; null: download
     */
    void run(Download download, ImageSource source, RemoteObject knownObject, String reverify) {
        metrics.downloadStarted();
        try {
            CachedImage image = reverify == null ? null : reverified(reverify, source.url());
            if (image == null) {
                metrics.miss();
                image = download(download, source, knownObject);
            }
            index.finished(download);
            download.result.complete(image);
        } catch (Throwable e) {
            index.finished(download);
            AgentException failure = asAgentException(e, source.url());
            LOG.warn("image download failed url={} sha256={} reason={} error={}", source.url(), download.sha256(),
                    failure.reason(), failure.getMessage());
            download.result.completeExceptionally(failure);
        } finally {
            metrics.downloadEnded();
        }
    }

    private CachedImage download(Download download, ImageSource source, RemoteObject knownObject)
            throws IOException, InterruptedException {
        ImageUrl url = source.url();
        try (SpaceReservations.Reservation space = reservations.open()) {
            BoundedSource bounded = new BoundedSource(source, limits, download, space, System::nanoTime);
            RemoteObject object = knownObject != null ? knownObject
                    : sources.retrying(url, "stat " + url, bounded::stat);
            download.total(object.sizeBytes());
            index.makeRoom(Math.max(object.sizeBytes(), 0)); // evicts beyond the budget first: that frees disk too
            bounded.admit(object);
            return downloadAdmitted(download, bounded, object);
        }
    }

    private CachedImage downloadAdmitted(Download download, BoundedSource source, RemoteObject object)
            throws IOException, InterruptedException {
        ImageUrl url = source.url();
        Path tmp = store.newTempFile(download.verified ? download.sha256() : "unverified");
        long started = System.nanoTime();
        try {
            Downloader.Result result = downloader.download(source, object, tmp, download::done);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.downloaded(result.sizeBytes(), took);
            String expected = download.verified ? download.sha256() : null;
            if (expected != null && !result.sha256().equals(expected)) {
                metrics.checksumFailure();
                throw new AgentException(Kind.CONFLICT, AgentErrorReasons.CHECKSUM_MISMATCH, "image " + url
                        + " has SHA-256 " + result.sha256() + " but " + expected + " was expected");
            }
            ImageFormat format = inspected(tmp, url, result.sha256()); // refused: the finally removes the file
            CacheStore.Entry entry = index.commit(download, tmp, result.sha256(), result.sizeBytes(), format, url,
                    object.validator());
            LOG.info("image cached url={} sha256={} verified={} format={} bytes={} millis={} mibPerSecond={}", url,
                    entry.sha256(), download.verified, entry.format(), entry.sizeBytes(), took.toMillis(),
                    took.toMillis() == 0 ? "-" : String.valueOf(entry.sizeBytes() * 1000 / took.toMillis() >> 20));
            return index.image(entry);
        } finally {
            Files.deleteIfExists(tmp); // nothing partial stays: only a committed (renamed) file is an entry
        }
    }

    /** Inspects a download; when refused, an entry with the same digest (cached before the inspector) goes too. */
    private ImageFormat inspected(Path file, ImageUrl url, String sha256) {
        try {
            return ImageInspector.inspect(file);
        } catch (AgentException e) {
            LOG.warn("image refused url={} reason={} message={}", url, e.reason(), e.getMessage());
            if (AgentErrorReasons.UNSAFE_IMAGE.equals(e.reason())) {
                index.removeUnsafe(sha256);
            }
            throw new AgentException(e.kind(), e.reason(), "image " + url + " refused: " + e.getMessage(), e);
        }
    }

    /** Re-hashes an entry before use; a sound one is returned, a corrupt one is removed (null: download again). */
    private CachedImage reverified(String sha256, ImageUrl url) throws IOException {
        String actual;
        try (InputStream in = Files.newInputStream(store.entryPath(sha256))) {
            var digest = Sha256.newDigest();
            byte[] buffer = new byte[Downloader.BLOCK_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        }
        return index.afterRehash(sha256, actual, url);
    }

    /**
     * The failure as the volume reports it: the agent's own reason when there is one; a full disk as HostDiskFull;
     * a source that kept failing (retries used up) as unreachable; anything else as DownloadFailed.
     */
    private AgentException asAgentException(Throwable e, ImageUrl url) {
        if (e instanceof AgentException agent) {
            return agent;
        }
        if (e.getCause() instanceof AgentException agent) {
            return agent;
        }
        if (DiskFull.causedBy(e)) {
            return DiskFull.failure("the image cache's file system (" + store.tmpDir().getParent() + ")",
                    "the download of " + url + " ran out of space",
                    "free space there or lower VIRTFLEET_AGENT_CACHE_BUDGET; the partial download was removed", e);
        }
        if (e instanceof IOException) {
            return Sources.unreachable(url, "download of " + url + " failed: " + e.getMessage(), e);
        }
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED,
                "download of " + url + " failed: " + e.getMessage(), e);
    }
}
