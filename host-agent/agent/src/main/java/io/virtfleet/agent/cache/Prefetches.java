package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/** Prefetches by URL + digest, kept until their outcome has been reported once. */
final class Prefetches {
    private final Function<ImageRequest, ImageFetch> fetcher;
    private final Map<String, ImageFetch> running = new HashMap<>();

    Prefetches(Function<ImageRequest, ImageFetch> fetcher) {
        this.fetcher = fetcher;
    }

    /**
     * @param whenCached runs with the cached image while this prefetch's fetch still holds it (so that a pin taken
     *                   there cannot lose a race with eviction); also when the request joins a running download
     */
    PrefetchStatus prefetch(ImageRequest request, Consumer<CachedImage> whenCached) {
        String key = request.prefetchKey();
        synchronized (running) {
            ImageFetch earlier = running.get(key);
            if (earlier != null && !earlier.result().isDone()) {
                earlier.result().thenAccept(whenCached);
                return prefetchStatus(request.url().text(), earlier);
            }
            running.remove(key);
            if (earlier != null && earlier.result().isCompletedExceptionally()) {
                return prefetchStatus(request.url().text(), earlier);
            }
        }
        ImageFetch fetch = fetcher.apply(request);
        fetch.result().whenComplete((image, error) -> {
            try {
                if (error == null) {
                    whenCached.accept(image);
                }
            } finally {
                fetch.close();
            }
        });
        if (!fetch.result().isDone()) {
            synchronized (running) {
                running.putIfAbsent(key, fetch);
            }
        }
        return prefetchStatus(request.url().text(), fetch);
    }

    private static PrefetchStatus prefetchStatus(String url, ImageFetch fetch) {
        var result = fetch.result();
        if (result.isCompletedExceptionally()) {
            AgentError error;
            try {
                result.join();
                error = null;
            } catch (CompletionException e) {
                error = e.getCause() instanceof AgentException a ? a.toError()
                        : new AgentError(AgentErrorReasons.DOWNLOAD_FAILED, String.valueOf(e.getCause()));
            }
            return new PrefetchStatus(url, PrefetchStatus.FAILED, fetch.sha256(), fetch.verified(), fetch.bytesDone(),
                    fetch.bytesTotal(), error);
        }
        String phase = result.isDone() ? PrefetchStatus.CACHED : PrefetchStatus.DOWNLOADING;
        return new PrefetchStatus(url, phase, fetch.sha256(), fetch.verified(), fetch.bytesDone(), fetch.bytesTotal(), null);
    }

}
