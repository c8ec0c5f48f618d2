package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.cachedBy;
import static io.virtfleet.agent.cache.CacheTestBytes.filesIn;
import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.fixtures.FaultyProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The image cache against the S3 server ({@link S3ImageCacheTest}). Transfers: one download per image under
 * concurrency, the bound on parallel downloads, ranged streams, and resuming after cuts and stalls.
 */
class ImageCacheTransferIntegrationTest extends S3ImageCacheTest {
    @Test
    void tenConcurrentRequestsForOneImageMakeExactlyOneGet() throws Exception {
        byte[] image = put("big.qcow2", random(8 << 20, 7));
        String sha256 = sha256(image);
        s3.putObject(BUCKET, "big.qcow2.sha256", sha256.getBytes(StandardCharsets.UTF_8)); // half the callers read it

        ExecutorService callers = Executors.newFixedThreadPool(10);
        CyclicBarrier together = new CyclicBarrier(10); // all ask at once, well before an 8 MiB download can end
        try {
            List<CompletableFuture<CachedImage>> results = IntStream.range(0, 10)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        awaitBarrier(together);
                        return cache.fetch(ImageRequest.of("s3://images/big.qcow2", i % 2 == 0 ? sha256 : null));
                    }, callers).thenCompose(ImageFetch::result))
                    .toList();
            List<CachedImage> images = results.stream().map(CompletableFuture::join).toList();

            assertThat(images).hasSize(10).allSatisfy(cached -> assertThat(cached.sha256()).isEqualTo(sha256));
        } finally {
            callers.shutdownNow();
        }
        assertThat(s3.getRequestCount(BUCKET, "big.qcow2")).isEqualTo(1);
    }

    @Test
    void aDownloadCutOffMidStreamResumesAndOnlyTheVerifiedFileBecomesAnEntry() throws Exception {
        byte[] image = put("cut.qcow2", random(12 << 20, 11));
        String sha256 = sha256(image);
        proxy = FaultyProxy.start(s3.endpoint());
        cache.close();
        cache = newCache(settings(), proxy.endpoint());
        proxy.pauseResponsesAfter(5 << 20);

        ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/cut.qcow2", sha256));
        assertThat(proxy.awaitPaused(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> fetch.bytesDone() > 0);
        // The disk writer runs beside the hash: once the stream stalls it writes what it holds, soon, not at once.
        await().atMost(Duration.ofSeconds(10)).until(() -> filesIn(cacheDir.resolve("tmp")).stream()
                .anyMatch(part -> part.toFile().length() > 0));
        assertThat(cache.cached(sha256)).isEmpty();
        assertThat(filesIn(cacheDir.resolve("sha256"))).isEmpty();
        assertThat(filesIn(cacheDir.resolve("tmp"))).singleElement()
                .satisfies(part -> assertThat(Files.size(part)).isPositive().isLessThan(image.length));

        proxy.cutResponsesAfter(3 << 20, 1); // the resumed GET is cut again, after 3 more MiB
        proxy.dropAll();
        proxy.release();

        CachedImage cached = cachedBy(fetch);
        assertThat(cached.path()).hasBinaryContent(image);
        assertThat(proxy.cuts()).isEqualTo(1);
        assertThat(s3.getRequestCount(BUCKET, "cut.qcow2")).isEqualTo(3); // the first GET, then two from where each stopped
        assertThat(filesIn(cacheDir.resolve("tmp"))).isEmpty();
    }

    @Test
    void downloadsBeyondTheNodesBoundWaitInLine() throws Exception {
        byte[] first = put("line-1", random(6 << 20, 51));
        byte[] second = put("line-2", random(1 << 20, 52));
        proxy = FaultyProxy.start(s3.endpoint());
        cache.close();
        cache = newCache(settings().withMaxDownloads(1), proxy.endpoint());
        proxy.pauseResponsesAfter(2 << 20);

        ImageFetch held = cache.fetch(ImageRequest.of("s3://images/line-1", sha256(first)));
        assertThat(proxy.awaitPaused(Duration.ofSeconds(30))).isTrue();
        ImageFetch waiting = cache.fetch(ImageRequest.of("s3://images/line-2", sha256(second)));
        assertThat(waiting.result()).isNotDone();
        assertThat(s3.getRequestCount(BUCKET, "line-2")).as("not started while the only slot is busy").isZero();
        assertThat(metrics.get("virtfleet.image.cache.downloads.active").gauge().value()).isEqualTo(1);

        proxy.release();
        assertThat(cachedBy(held).path()).hasBinaryContent(first);
        assertThat(cachedBy(waiting).path()).hasBinaryContent(second);
        assertThat(s3.getRequestCount(BUCKET, "line-2")).isEqualTo(1);
    }

    @Test
    void parallelRangedStreamsAreHashedInOrderAndSurviveCuts() {
        byte[] image = put("parallel.qcow2", random((9 << 20) + 12345, 13));
        proxy = FaultyProxy.start(s3.endpoint());
        cache.close();
        cache = newCache(settings().withStreams(4, 1 << 20), proxy.endpoint());
        proxy.cutResponsesAfter(600_000, 3); // three of the part GETs end early and are resumed

        CachedImage cached = cachedBy(cache.fetch(ImageRequest.of("s3://images/parallel.qcow2", sha256(image))));

        assertThat(cached.path()).hasBinaryContent(image);
        assertThat(proxy.cuts()).isEqualTo(3);
        assertThat(s3.getRequestCount(BUCKET, "parallel.qcow2")).isEqualTo(10 + 3); // ten 1 MiB parts, three resumes
    }

    @Test
    void aStalledConnectionTimesOutAndTheDownloadResumesOnANewOne() {
        byte[] image = put("stall.qcow2", random(8 << 20, 17));
        proxy = FaultyProxy.start(s3.endpoint());
        cache.close();
        cache = newCache(settings().withRetry(FAST_RETRY, Duration.ofMillis(500)), proxy.endpoint());
        proxy.pauseResponsesAfter(3 << 20); // every connection goes silent after 3 MiB and is never released

        CachedImage cached = cachedBy(cache.fetch(ImageRequest.of("s3://images/stall.qcow2", sha256(image))));

        assertThat(cached.path()).hasBinaryContent(image);
        assertThat(s3.getRequestCount(BUCKET, "stall.qcow2")).isEqualTo(3); // 3 + 3 + 2 MiB
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
