package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.AgentError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One caller's hold on an image: its progress into the cache and the result. While open it pins the image: the cache
 * never evicts an entry a fetch holds, so a volume can be populated from it safely. Close it when done with the
 * file (a volume job closes it after the population).
 */
public final class ImageFetch implements AutoCloseable {
    private final CacheIndex cache;
    private final Download download;
    private final AtomicBoolean closed = new AtomicBoolean();

    ImageFetch(CacheIndex cache, Download download) {
        this.cache = cache;
        this.download = download;
    }

    /** The image's digest; null while an image without checksum is still downloading. */
    public String sha256() {
        return download.sha256();
    }

    /** False when no checksum existed and the image is keyed by URL + ETag/Last-Modified instead. */
    public boolean verified() {
        return download.verified;
    }

    public long bytesDone() {
        return download.bytesDone();
    }

    /**
     * What the download is retrying through right now, e.g. {@code ObjectStoreUnreachable} while the object store does
     * not answer; null while bytes flow or once it ended.
     */
    public AgentError trouble() {
        return download.result.isDone() ? null : download.trouble();
    }

    /** The image's size; 0 until known (-1 when the server does not announce it). */
    public long bytesTotal() {
        return download.bytesTotal();
    }

    /** Completes with the cached image, or exceptionally with an {@link io.virtfleet.agent.AgentException}. */
    public CompletableFuture<CachedImage> result() {
        return download.result.copy(); // waiters must not be able to complete or cancel the shared download
    }

    /** Releases the pin; the entry may be evicted from now on. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cache.release(this);
        }
    }
}
