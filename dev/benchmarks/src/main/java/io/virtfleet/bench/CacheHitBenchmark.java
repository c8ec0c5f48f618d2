package io.virtfleet.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.cache.ImageFetch;
import io.virtfleet.agent.cache.ImageRequest;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * P3: what a cache hit saves. The same 1 GiB image (S3 server in another process, digest in its {@code .sha256} file,
 * as a RootVolume without {@code image.sha256} asks for it) is fetched on a miss (empty cache: sidecar, stat, download,
 * verify, fsync, rename) and then on a hit (sidecar read, entry found). The ratio is the median over rounds of
 * {@code 1 - hit/miss}: the share of the miss time a hit saves.
 *
 * <p>System properties: {@code bench.bytes} (default 1 GiB), {@code bench.rounds} (default 5).
 */
public final class CacheHitBenchmark {
    private static final String NAME = "cache-hit";
    private static final String KEY = "image.qcow2";

    private CacheHitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = Long.getLong("bench.bytes", 1L << 30);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path work = BenchFiles.workDir("cache-hit-");
        BenchResult result;
        try (S3ServerProcess s3 = S3ServerProcess.start(work.resolve("s3"))) {
            Path source = work.resolve("source.bin");
            S3ServerProcess.writeRandomFile(source, bytes);
            String sha256 = TestImages.sha256(source);
            s3.upload(KEY, source);
            s3.put(KEY + ".sha256", (sha256 + "  " + KEY + "\n").getBytes(StandardCharsets.UTF_8));
            Files.delete(source);
            BenchResult.figure(NAME, "object=%d bytes rounds=%d (+1 warm-up); digest from the .sha256 file; cache on %s;"
                    + " page cache not dropped (source read into memory, dirty pages synced before each miss)", bytes,
                    rounds, BenchFiles.fileSystemOf(work));

            S3Settings s3Settings = new S3Settings(s3.endpoint(), InProcessS3.REGION, InProcessS3.ACCESS_KEY,
                    InProcessS3.SECRET_KEY);
            List<Double> misses = new ArrayList<>();
            List<Double> hits = new ArrayList<>();
            List<Double> saved = new ArrayList<>();
            ImageRequest request = ImageRequest.of("s3://" + S3ServerProcess.BUCKET + "/" + KEY, null);
            try (ImageCache cache = new ImageCache(work.resolve("agent-cache"),
                    CacheSettings.DEFAULTS.withS3PlatformPrefixes(List.of(S3ServerProcess.BUCKET + "/")),
                    Optional.of(s3Settings), new SimpleMeterRegistry())) {
                for (int round = 0; round <= rounds; round++) {
                    cache.evict(sha256);
                    BenchFiles.sync();
                    s3.preread(KEY);
                    double miss = timedFetch(cache, request);
                    double hit = timedFetch(cache, request);
                    if (round > 0) {
                        misses.add(miss);
                        hits.add(hit);
                        saved.add(1 - hit / miss);
                    }
                }
            }
            BenchResult.figure(NAME, "miss median=%.3f s runs=%s", BenchFiles.median(misses), BenchFiles.seconds(misses));
            BenchResult.figure(NAME, "hit  median=%.4f s runs=%s", BenchFiles.median(hits), hits.stream()
                    .map(v -> String.format(java.util.Locale.ROOT, "%.4f", v)).toList());
            BenchResult.figure(NAME, "saved per round=%s", saved.stream()
                    .map(v -> String.format(java.util.Locale.ROOT, "%.4f", v)).toList());
            result = BenchResult.atLeast(NAME, BenchFiles.median(saved), 0.90);
        } finally {
            BenchFiles.deleteTree(work);
        }
        result.print(); // after every close: nothing may print after the ratio line
    }

    private static double timedFetch(ImageCache cache, ImageRequest request) {
        long started = System.nanoTime();
        try (ImageFetch fetch = cache.fetch(request)) {
            fetch.result().join();
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
