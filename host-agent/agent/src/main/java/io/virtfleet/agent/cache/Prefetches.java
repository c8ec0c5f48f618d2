package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/** Prefetches by URL + digest, kept until their outcome has been reported once. */
final class Prefetches {
    private final Function<ImageRequest, ImageFetch> fetcher;
    /** Guards every {@link Running}'s fields too. */
    private final Map<String, Running> running = new HashMap<>();

    /** A prefetch in flight and what its requesters asked to run once it is cached. */
    private static final class Running {
        final ImageFetch fetch;
        final List<Consumer<CachedImage>> whenCached = new ArrayList<>();
        /** Set (under the lock) when the callbacks were taken: a request seeing it starts anew instead of joining. */
        boolean completed;

        Running(ImageFetch fetch) {
            this.fetch = fetch;
        }
    }

    Prefetches(Function<ImageRequest, ImageFetch> fetcher) {
        this.fetcher = fetcher;
    }

    /**
     * @param whenCached runs with the cached image while the prefetch's fetch still holds it (so that a pin taken
     *                   there cannot lose a race with eviction), also for a request that joins a running prefetch
     */
    PrefetchStatus prefetch(ImageRequest request, Consumer<CachedImage> whenCached) {
        String key = request.prefetchKey();
        synchronized (running) {
            Running earlier = running.get(key);
            if (earlier != null && !earlier.completed) {
                earlier.whenCached.add(whenCached);
                return prefetchStatus(request.url().text(), earlier.fetch);
            }
            running.remove(key);
            if (earlier != null && earlier.fetch.result().isCompletedExceptionally()) {
                return prefetchStatus(request.url().text(), earlier.fetch);
            }
        }
        Running started = new Running(fetcher.apply(request));
        started.whenCached.add(whenCached);
        if (!started.fetch.result().isDone()) { // one done already reports its outcome in this answer
            synchronized (running) {
                running.putIfAbsent(key, started);
            }
        }
        started.fetch.result().whenComplete((image, error) -> {
            List<Consumer<CachedImage>> callbacks;
            synchronized (running) {
                started.completed = true;
                callbacks = List.copyOf(started.whenCached);
                if (error == null) {
                    running.remove(key, started); // a failure stays until it has been reported once
                }
            }
            try {
                if (error == null) {
                    callbacks.forEach(c -> c.accept(image));
                }
            } finally {
                started.fetch.close();
            }
        });
        return prefetchStatus(request.url().text(), started.fetch);
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
