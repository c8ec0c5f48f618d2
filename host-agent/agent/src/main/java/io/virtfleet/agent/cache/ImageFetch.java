package io.virtfleet.agent.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One image on its way into the cache, shared by everyone who asked for the same digest. Readers poll the progress
 * and wait on {@link #result()}; a cache hit is an already completed fetch.
 */
public final class ImageFetch {
    private final String sha256;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final CompletableFuture<CachedImage> result = new CompletableFuture<>();

    ImageFetch(String sha256) {
        this.sha256 = sha256;
    }

    static ImageFetch hit(CachedImage image) {
        ImageFetch fetch = new ImageFetch(image.sha256());
        fetch.bytesTotal.set(image.sizeBytes());
        fetch.bytesDone.set(image.sizeBytes());
        fetch.result.complete(image);
        return fetch;
    }

    public String sha256() {
        return sha256;
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    public long bytesTotal() {
        return bytesTotal.get();
    }

    /** Completes with the cached image, or exceptionally with an {@link io.virtfleet.agent.AgentException}. */
    public CompletableFuture<CachedImage> result() {
        return result.copy(); // waiters must not be able to complete or cancel the shared download
    }

    void total(long bytes) {
        bytesTotal.set(bytes);
    }

    void advance(long bytes) {
        bytesDone.addAndGet(bytes);
    }

    void complete(CachedImage image) {
        result.complete(image);
    }

    void fail(Throwable error) {
        result.completeExceptionally(error);
    }
}
