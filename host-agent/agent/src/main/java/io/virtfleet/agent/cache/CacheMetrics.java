package io.virtfleet.agent.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The cache's meters. In Prometheus they read {@code virtfleet_image_cache_hits_total}, {@code _misses_total},
 * {@code _downloaded_bytes_total}, {@code _download_seconds_{count,sum,max}}, {@code _evictions_total},
 * {@code _checksum_failures_total}, and the gauges {@code _used_bytes}, {@code _budget_bytes}, {@code _entries},
 * {@code _downloads_active}.
 */
final class CacheMetrics {
    private static final String PREFIX = "virtfleet.image.cache.";

    private final Counter hits;
    private final Counter misses;
    private final Counter downloadedBytes;
    private final Timer downloads;
    private final Counter evictions;
    private final Counter checksumFailures;

    private final MeterRegistry registry;

    private final AtomicInteger activeDownloads = new AtomicInteger();

    CacheMetrics(MeterRegistry registry, long budgetBytes) {
        this.registry = registry;
        hits = Counter.builder(PREFIX + "hits").description("fetches served from the cache").register(registry);
        misses = Counter.builder(PREFIX + "misses").description("fetches that had to download").register(registry);
        downloadedBytes = Counter.builder(PREFIX + "downloaded").baseUnit("bytes")
                .description("image bytes downloaded").register(registry);
        downloads = Timer.builder(PREFIX + "download").description("time of completed downloads, verified and on disk")
                .register(registry);
        evictions = Counter.builder(PREFIX + "evictions").description("entries removed to stay in budget or on request")
                .register(registry);
        checksumFailures = Counter.builder(PREFIX + "checksum.failures")
                .description("downloads or entries whose SHA-256 was not the expected one").register(registry);
        Gauge.builder(PREFIX + "budget", () -> budgetBytes).baseUnit("bytes")
                .description("byte budget of the cache (0: unlimited)").register(registry);
        Gauge.builder(PREFIX + "downloads.active", activeDownloads::get).description("downloads and verifications under way")
                .register(registry);
    }

    /** The gauges the index answers; registered by the index once it has loaded its entries. */
    void watchIndex(Supplier<Number> usedBytes, Supplier<Number> entries) {
        Gauge.builder(PREFIX + "used", usedBytes).baseUnit("bytes").description("bytes held by entries").register(registry);
        Gauge.builder(PREFIX + "entries", entries).description("images in the cache").register(registry);
    }

    void downloadStarted() {
        activeDownloads.incrementAndGet();
    }

    void downloadEnded() {
        activeDownloads.decrementAndGet();
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void downloaded(long bytes, Duration took) {
        downloadedBytes.increment(bytes);
        downloads.record(took);
    }

    void evicted() {
        evictions.increment();
    }

    void checksumFailure() {
        checksumFailures.increment();
    }
}
