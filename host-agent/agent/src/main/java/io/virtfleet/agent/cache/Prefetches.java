package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/** Prefetches by URL + digest, kept until their outcome has been reported once. */
final class Prefetches {
    private final Function<ImageRequest, ImageFetch> fetcher;
    /** Guards every {@link Running}'s fields too. */
    private final Map<String, Running> running = new HashMap<>();

    /** Callbacks with a catalogue pin not run yet, from every prefetch: {@link #cancelPin} finds them here. */
    private final Set<WhenCached> pinsToCome = new HashSet<>();

    /** What a requester asked to run once the image is cached; one for a catalogue pin can be cancelled until then. */
    private static final class WhenCached {
        final String catalogPin;
        final Consumer<CachedImage> action;
        private boolean cancelled;

        WhenCached(String catalogPin, Consumer<CachedImage> action) {
            this.catalogPin = catalogPin;
            this.action = action;
        }

        /** Runs it unless cancelled; a cancel waits for a run under way, so it is either before or after it. */
        synchronized void run(CachedImage image) {
            if (!cancelled) {
                action.accept(image);
            }
        }

        synchronized void cancel() {
            cancelled = true;
        }
    }

    /** A prefetch in flight and what its requesters asked to run once it is cached. */
    private static final class Running {
        final ImageFetch fetch;
        final List<WhenCached> whenCached = new ArrayList<>();
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
     * @param catalogPin the catalogue name {@code action} pins under, so that {@link #cancelPin} can cancel it;
     *                   null when it pins nothing
     * @param action     runs with the cached image while the prefetch's fetch still holds it (so that a pin taken
     *                   there cannot lose a race with eviction), also for a request that joins a running prefetch
     */
    PrefetchStatus prefetch(ImageRequest request, String catalogPin, Consumer<CachedImage> action) {
        String key = request.prefetchKey();
        WhenCached whenCached = new WhenCached(catalogPin, action);
        synchronized (running) {
            Running earlier = running.get(key);
            if (earlier != null && !earlier.completed) {
                earlier.whenCached.add(whenCached);
                expectPin(whenCached);
                return prefetchStatus(request.url().text(), earlier.fetch);
            }
            running.remove(key);
            if (earlier != null && earlier.fetch.result().isCompletedExceptionally()) {
                return prefetchStatus(request.url().text(), earlier.fetch);
            }
        }
        Running started = new Running(fetcher.apply(request));
        started.whenCached.add(whenCached);
        synchronized (running) {
            expectPin(whenCached);
        }
        if (!started.fetch.result().isDone()) { // one done already reports its outcome in this answer
            synchronized (running) {
                running.putIfAbsent(key, started);
            }
        }
        started.fetch.result().whenComplete((image, error) -> {
            List<WhenCached> callbacks;
            synchronized (running) {
                started.completed = true;
                callbacks = List.copyOf(started.whenCached);
                if (error == null) {
                    running.remove(key, started); // a failure stays until it has been reported once
                }
            }
            try {
                if (error == null) {
                    callbacks.forEach(c -> c.run(image));
                }
            } finally {
                synchronized (running) {
                    callbacks.forEach(pinsToCome::remove);
                }
                started.fetch.close();
            }
        });
        return prefetchStatus(request.url().text(), started.fetch);
    }

    /** Holds the lock: a pin to come is one {@link #cancelPin} may cancel. */
    private void expectPin(WhenCached whenCached) {
        if (whenCached.catalogPin != null) {
            pinsToCome.add(whenCached);
        }
    }

    /**
     * Cancels every pin under {@code catalogPin} that running prefetches asked for and have not written yet; one being
     * written is waited for. So an unpin that follows wins over a pinned prefetch requested before it.
     */
    void cancelPin(String catalogPin) {
        List<WhenCached> cancelled;
        synchronized (running) {
            cancelled = pinsToCome.stream().filter(w -> catalogPin.equals(w.catalogPin)).toList();
            pinsToCome.removeAll(cancelled);
        }
        cancelled.forEach(WhenCached::cancel);
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
