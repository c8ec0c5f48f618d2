package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.AgentError;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One image on its way into the cache (or a hit, already there), shared by every {@link ImageFetch} that asked for
 * it: single flight.
 */
final class Download {
    /** Digest + URL + credentials for verified images; URL + validator for images without checksum. */
    final String key;
    /** Whether the digest is checked against an expected one (false: cached by URL + ETag/Last-Modified). */
    final boolean verified;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    final CompletableFuture<CachedImage> result = new CompletableFuture<>();
    /** Tenants whose requests started or joined this download: recorded as readers of the entry it makes. */
    final Set<String> tenants = ConcurrentHashMap.newKeySet();
    /** The digest: known from the start when verified, else once downloaded. Written under the cache's lock. */
    private volatile String sha256;
    /** What the download is retrying through right now (the object store does not answer); null while it flows. */
    private volatile AgentError trouble;

    Download(String key, boolean verified, String sha256) {
        this.key = key;
        this.verified = verified;
        this.sha256 = sha256;
    }

    static Download hit(CachedImage image, boolean verified) {
        Download done = new Download(image.sha256(), verified, image.sha256());
        done.total(image.sizeBytes());
        done.done(image.sizeBytes());
        done.result.complete(image);
        return done;
    }

    String sha256() {
        return sha256;
    }

    void sha256(String value) {
        sha256 = value;
    }

    AgentError trouble() {
        return trouble;
    }

    void trouble(AgentError value) {
        trouble = value;
    }

    long bytesDone() {
        return bytesDone.get();
    }

    long bytesTotal() {
        return bytesTotal.get();
    }

    void total(long bytes) {
        bytesTotal.set(bytes);
    }

    void done(long bytes) {
        bytesDone.set(bytes);
    }
}
