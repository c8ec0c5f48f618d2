package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.fixtures.FaultyProxy;
import io.virtfleet.fixtures.InProcessS3;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image cache against an S3 server started in this JVM (S3Proxy, a stand-in for MinIO), spoken to over the real
 * S3 protocol; faults come from a {@link FaultyProxy} between the two. One server for the class (each test uses its
 * own object keys), a fresh cache for each test. GETs are counted at the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCacheIntegrationTest {
    private static final String BUCKET = "images";
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));

    private InProcessS3 s3;
    private Path cacheDir;
    private SimpleMeterRegistry metrics;
    private ImageCache cache;
    private FaultyProxy proxy;

    @BeforeAll
    void startS3(@TempDir Path s3Dir) {
        s3 = InProcessS3.start(s3Dir);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    void stopS3() {
        s3.close();
    }

    @BeforeEach
    void startCache(@TempDir Path dir) {
        cacheDir = dir.resolve("cache");
        cache = newCache(settings(), s3.endpoint());
    }

    @AfterEach
    void stopCache() {
        cache.close();
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    @Test
    void downloadsOnAMissAndServesTheEntryOnAHit() {
        byte[] image = put("one.qcow2", random(3 << 20, 1));
        String sha256 = sha256(image);

        CachedImage miss = cachedBy(cache.fetch(ImageRequest.of("s3://images/one.qcow2", sha256)));
        assertThat(miss.path()).isEqualTo(cacheDir.resolve("sha256").resolve(sha256)).hasBinaryContent(image);
        assertThat(miss.sizeBytes()).isEqualTo(image.length);

        ImageFetch hit = cache.fetch(ImageRequest.of("s3://images/one.qcow2", sha256.toUpperCase()));
        assertThat(hit.result()).isCompletedWithValue(miss);
        assertThat(hit.verified()).isTrue();
        assertThat(hit.bytesDone()).isEqualTo(image.length);
        assertThat(s3.getRequestCount(BUCKET, "one.qcow2")).isEqualTo(1);
        assertThat(counter("hits")).isEqualTo(1);
        assertThat(counter("misses")).isEqualTo(1);
        assertThat(counter("downloaded")).isEqualTo(image.length);
        assertThat(metrics.get("virtfleet.image.cache.download").timer().count()).isEqualTo(1);
    }

    @Test
    void readsTheExpectedDigestFromTheSidecarInSha256sumOrBareForm() {
        byte[] two = put("two.qcow2", text("image two"));
        s3.putObject(BUCKET, "two.qcow2.sha256", (sha256(two) + "  two.qcow2\n").getBytes(StandardCharsets.UTF_8));
        byte[] bare = put("bare.qcow2", text("bare sidecar"));
        s3.putObject(BUCKET, "bare.qcow2.sha256", sha256(bare).getBytes(StandardCharsets.UTF_8));

        ImageFetch fromSha256sum = cache.fetch(ImageRequest.of("s3://images/two.qcow2", null));
        ImageFetch fromBareHex = cache.fetch(ImageRequest.of("minio://images/bare.qcow2", null));

        assertThat(cachedBy(fromSha256sum).path()).hasBinaryContent(two);
        assertThat(fromSha256sum.sha256()).isEqualTo(sha256(two));
        assertThat(fromSha256sum.verified()).isTrue();
        assertThat(cachedBy(fromBareHex).sha256()).isEqualTo(sha256(bare));
    }

    @Test
    void aMismatchFailsNamingBothDigestsAndLeavesNothingBehind() throws Exception {
        byte[] image = put("three.qcow2", text("image three"));
        String wrong = sha256(text("something else"));

        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of("s3://images/three.qcow2", wrong))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH);
                    assertThat(e.getMessage()).contains(wrong).contains(sha256(image));
                });
        assertThat(filesIn(cacheDir.resolve("sha256"))).isEmpty();
        assertThat(filesIn(cacheDir.resolve("tmp"))).isEmpty();
        assertThat(counter("checksum.failures")).isEqualTo(1);
    }

    @Test
    void withoutAnyChecksumCachesByUrlAndEtagAndSaysSo() {
        byte[] first = put("unsigned.qcow2", text("no sidecar, version 1"));

        ImageFetch miss = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(cachedBy(miss).path()).hasBinaryContent(first);
        assertThat(miss.verified()).isFalse();
        assertThat(miss.sha256()).isEqualTo(sha256(first));

        ImageFetch hit = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(hit.result()).isCompleted();
        assertThat(hit.verified()).isFalse();
        assertThat(s3.getRequestCount(BUCKET, "unsigned.qcow2")).isEqualTo(1);

        byte[] second = put("unsigned.qcow2", text("no sidecar, version 2")); // a new ETag
        ImageFetch changed = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(cachedBy(changed).path()).hasBinaryContent(second);
        assertThat(changed.sha256()).isEqualTo(sha256(second));
        assertThat(s3.getRequestCount(BUCKET, "unsigned.qcow2")).isEqualTo(2);
    }

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

    @Test
    void evictsTheLeastRecentlyUsedEntriesUnderTheBudgetButNeverAPinnedOne() {
        int size = 1 << 20;
        byte[] a = put("lru-a", random(size, 21));
        byte[] b = put("lru-b", random(size, 22));
        byte[] c = put("lru-c", random(size, 23));
        byte[] d = put("lru-d", random(size, 24));
        cache.close();
        cache = newCache(settings().withBudgetBytes(2L * size + size / 2), s3.endpoint()); // room for two

        ImageFetch pinnedA = cache.fetch(ImageRequest.of("s3://images/lru-a", sha256(a))); // oldest, but held
        cachedBy(pinnedA);
        try (ImageFetch fetchB = cache.fetch(ImageRequest.of("s3://images/lru-b", sha256(b)))) {
            cachedBy(fetchB);
        }
        try (ImageFetch fetchC = cache.fetch(ImageRequest.of("s3://images/lru-c", sha256(c)))) {
            cachedBy(fetchC);
        }
        assertThat(cache.cached(sha256(a))).as("pinned, never evicted").isPresent();
        assertThat(cache.cached(sha256(b))).as("least recently used unpinned").isEmpty();
        assertThat(cache.cached(sha256(c))).isPresent();

        try (ImageFetch fetchD = cache.fetch(ImageRequest.of("s3://images/lru-d", sha256(d)))) {
            cachedBy(fetchD);
        }
        assertThat(cache.cached(sha256(a))).isPresent();
        assertThat(cache.cached(sha256(c))).isEmpty();
        assertThat(cache.list().usedBytes()).isLessThanOrEqualTo(cache.list().budgetBytes());
        assertThat(counter("evictions")).isEqualTo(2);

        pinnedA.close();
        try (ImageFetch again = cache.fetch(ImageRequest.of("s3://images/lru-b", sha256(b)))) {
            cachedBy(again);
        }
        assertThat(cache.cached(sha256(a))).as("released, now least recently used").isEmpty();
    }

    @Test
    void evictionOnRequestIsRefusedWhileTheImageIsInUse() {
        byte[] image = put("evict.qcow2", text("evict me"));
        String sha256 = sha256(image);
        ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/evict.qcow2", sha256));
        cachedBy(fetch);

        assertThat(cache.entry(sha256)).get().extracting(CacheEntry::inUse).isEqualTo(true);
        assertThatThrownBy(() -> cache.evict(sha256)).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_IN_USE));

        fetch.close();
        cache.evict(sha256);
        cache.evict(sha256); // absent is fine
        assertThat(cache.cached(sha256)).isEmpty();
        assertThat(cacheDir.resolve("sha256").resolve(sha256)).doesNotExist();
    }

    @Test
    void listsEntriesWithFormatVirtualSizeLastUseAndSources() {
        byte[] qcow2 = qcow2Header(5L << 30);
        put("listed.qcow2", qcow2);
        try (ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/listed.qcow2", sha256(qcow2)))) {
            cachedBy(fetch);
        }

        assertThat(cache.list().entries()).singleElement().satisfies(entry -> {
            assertThat(entry.sha256()).isEqualTo(sha256(qcow2));
            assertThat(entry.sizeBytes()).isEqualTo(qcow2.length);
            assertThat(entry.format()).isEqualTo("qcow2");
            assertThat(entry.virtualSizeBytes()).isEqualTo(5L << 30);
            assertThat(entry.sourceUrls()).containsExactly("s3://images/listed.qcow2");
            assertThat(entry.lastUsed()).isNotBlank();
            assertThat(entry.inUse()).isFalse();
        });
        assertThat(cache.list().usedBytes()).isEqualTo(qcow2.length);
    }

    @Test
    void aRestartRemovesPartialDownloadsAndKeepsOnlyRenamedEntries() throws Exception {
        byte[] image = put("kept.qcow2", text("kept across restarts"));
        try (ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/kept.qcow2", sha256(image)))) {
            cachedBy(fetch);
        }
        cache.close();
        Path partial = Files.writeString(cacheDir.resolve("tmp").resolve("abc-1.part"), "partial");
        byte[] legacy = qcow2Header(1L << 30); // an entry of an agent version that wrote no metadata
        Files.write(cacheDir.resolve("sha256").resolve(sha256(legacy)), legacy);
        Path strayMeta = Files.writeString(cacheDir.resolve("meta").resolve("0".repeat(64) + ".json"), "{}");

        cache = newCache(settings(), s3.endpoint());

        assertThat(partial).doesNotExist();
        assertThat(strayMeta).doesNotExist();
        assertThat(cache.list().entries()).extracting(CacheEntry::sha256).containsExactlyInAnyOrder(sha256(image), sha256(legacy));
        assertThat(cache.entry(sha256(legacy))).get().satisfies(e -> {
            assertThat(e.format()).isEqualTo("qcow2");
            assertThat(e.virtualSizeBytes()).isEqualTo(1L << 30);
        });
        assertThat(cache.entry(sha256(image))).get().extracting(CacheEntry::sourceUrls)
                .isEqualTo(List.of("s3://images/kept.qcow2"));
        ImageFetch hit = cache.fetch(ImageRequest.of("s3://images/kept.qcow2", sha256(image)));
        assertThat(hit.result()).isCompleted();
        assertThat(s3.getRequestCount(BUCKET, "kept.qcow2")).isEqualTo(1);
    }

    @Test
    void reverifiesOnUseWhenConfiguredAndReplacesACorruptEntry() throws Exception {
        byte[] image = put("rot.qcow2", random(2 << 20, 31));
        String sha256 = sha256(image);
        cache.close();
        cache = newCache(settings().withVerifyOnUse(true), s3.endpoint());
        try (ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/rot.qcow2", sha256))) {
            cachedBy(fetch);
        }
        try (ImageFetch sound = cache.fetch(ImageRequest.of("s3://images/rot.qcow2", sha256))) {
            cachedBy(sound);
        }
        assertThat(s3.getRequestCount(BUCKET, "rot.qcow2")).isEqualTo(1);
        assertThat(counter("hits")).isEqualTo(1);

        Path entry = cacheDir.resolve("sha256").resolve(sha256);
        byte[] rotten = image.clone();
        rotten[12345] ^= 1;
        Files.write(entry, rotten); // bit rot on the disk

        try (ImageFetch repaired = cache.fetch(ImageRequest.of("s3://images/rot.qcow2", sha256))) {
            assertThat(cachedBy(repaired).path()).hasBinaryContent(image);
        }
        assertThat(s3.getRequestCount(BUCKET, "rot.qcow2")).isEqualTo(2);
        assertThat(counter("checksum.failures")).isEqualTo(1);
    }

    @Test
    void reportsMissingImagesAndUnreadableChecksumFiles() {
        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of("s3://images/absent.qcow2", sha256(text("x"))))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND));
        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse("s3://no-such-bucket/x.qcow2", null,
                new ImageCredentials(s3.accessKey(), s3.secretKey()))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND));
        put("garbled.qcow2", text("garbled sidecar"));
        s3.putObject(BUCKET, "garbled.qcow2.sha256", "<html>not found</html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cache.fetch(ImageRequest.of("s3://images/garbled.qcow2", null)))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_UNAVAILABLE));
    }

    @Test
    void usesCredentialsFromTheRequestAndNeverShowsTheSecret() {
        byte[] image = put("private.qcow2", text("needs credentials"));
        cache.close();
        S3Settings anonymous = new S3Settings(s3.endpoint(), s3.region(), null, null);
        cache = new ImageCache(cacheDir, settings(), Optional.of(anonymous), metrics);
        String wrongSecret = "wrong-secret-do-not-log";

        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse("s3://images/private.qcow2", null,
                new ImageCredentials(s3.accessKey(), wrongSecret))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_FAILED);
                    assertThat(e.getMessage()).doesNotContain(wrongSecret);
                });
        ImageFetch fetch = cache.fetch(ImageRequest.parse("s3://images/private.qcow2", sha256(image),
                new ImageCredentials(s3.accessKey(), s3.secretKey())));
        assertThat(cachedBy(fetch).path()).hasBinaryContent(image);
    }

    @Test
    void prefetchReportsProgressThenCachedAndAFailureOnceBeforeRetrying() {
        byte[] image = put("prefetch.qcow2", random(4 << 20, 41));
        ImageRequest request = ImageRequest.of("s3://images/prefetch.qcow2", sha256(image));

        PrefetchStatus first = cache.prefetch(request);
        assertThat(first.phase()).isIn(PrefetchStatus.DOWNLOADING, PrefetchStatus.CACHED);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.prefetch(request).phase().equals(PrefetchStatus.CACHED));
        PrefetchStatus cached = cache.prefetch(request);
        assertThat(cached.imageSha256()).isEqualTo(sha256(image));
        assertThat(cached.imageVerified()).isTrue();
        assertThat(cache.entry(sha256(image))).get().extracting(CacheEntry::inUse).isEqualTo(false);

        ImageRequest wrong = ImageRequest.of("s3://images/prefetch.qcow2", sha256(text("other")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.prefetch(wrong).phase().equals(PrefetchStatus.FAILED));
        PrefetchStatus retried = cache.prefetch(wrong); // reported once: this is a new attempt
        assertThat(retried.phase()).isIn(PrefetchStatus.DOWNLOADING, PrefetchStatus.FAILED);
        if (retried.phase().equals(PrefetchStatus.FAILED)) {
            assertThat(retried.error().reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH);
        }
    }

    // ---- helpers

    private CacheSettings settings() {
        return CacheSettings.DEFAULTS.withRetry(FAST_RETRY, Duration.ofSeconds(5)).withS3PlatformPrefixes(List.of(BUCKET + "/"));
    }

    private ImageCache newCache(CacheSettings settings, URI endpoint) {
        metrics = new SimpleMeterRegistry();
        S3Settings s3Settings = new S3Settings(endpoint, s3.region(), s3.accessKey(), s3.secretKey());
        return new ImageCache(cacheDir, settings, Optional.of(s3Settings), metrics);
    }

    private double counter(String name) {
        return metrics.get("virtfleet.image.cache." + name).counter().count();
    }

    private byte[] put(String key, byte[] content) {
        s3.putObject(BUCKET, key, content);
        return content;
    }

    static CachedImage cachedBy(ImageFetch fetch) {
        try {
            return fetch.result().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] text(String text) {
        return (text + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The first bytes of a qcow2 file: magic, version 3, virtual size at offset 24 (enough for the format sniff). */
    static byte[] qcow2Header(long virtualSize) {
        return ImageInspectorTest.qcow2(virtualSize);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
