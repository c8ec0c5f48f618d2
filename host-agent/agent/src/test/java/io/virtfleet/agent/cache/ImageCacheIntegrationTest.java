package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.fixtures.InProcessS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
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
 * The image cache against an S3 server started in this JVM (S3Proxy, a stand-in for MinIO). One server for the
 * class (each test uses its own object keys), a fresh cache for each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCacheIntegrationTest {
    private static final String BUCKET = "images";

    private InProcessS3 s3;
    private ImageCache cache;
    private Path cacheDir;

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
        cache = newCache();
    }

    @AfterEach
    void stopCache() {
        cache.close();
    }

    @Test
    void downloadsOnAMissAndServesTheEntryOnAHit() {
        byte[] image = content("image one");
        s3.putObject(BUCKET, "one.qcow2", image);
        String sha256 = sha256(image);

        CachedImage miss = await(cache.fetch("s3://images/one.qcow2", sha256));
        assertThat(miss.path()).isEqualTo(cacheDir.resolve("sha256").resolve(sha256)).hasBinaryContent(image);
        assertThat(miss.sizeBytes()).isEqualTo(image.length);

        ImageFetch hit = cache.fetch("s3://images/one.qcow2", sha256.toUpperCase());
        assertThat(hit.result()).isCompletedWithValue(miss);
        assertThat(hit.bytesDone()).isEqualTo(image.length);
        assertThat(s3.getRequestCount(BUCKET, "one.qcow2")).isEqualTo(1);
    }

    @Test
    void readsTheExpectedDigestFromTheSha256Sidecar() {
        byte[] image = content("image two");
        s3.putObject(BUCKET, "two.qcow2", image);
        s3.putObject(BUCKET, "two.qcow2.sha256", (sha256(image) + "  two.qcow2\n").getBytes(StandardCharsets.UTF_8));

        CachedImage cached = await(cache.fetch("s3://images/two.qcow2", null));

        assertThat(cached.sha256()).isEqualTo(sha256(image));
        assertThat(cached.path()).hasBinaryContent(image);
    }

    @Test
    void aMismatchLeavesNothingInTheCache() throws Exception {
        s3.putObject(BUCKET, "three.qcow2", content("image three"));
        String wrong = sha256(content("something else"));

        assertThatThrownBy(() -> await(cache.fetch("s3://images/three.qcow2", wrong)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH);
                    assertThat(e.getMessage()).contains(wrong).contains(sha256(content("image three")));
                });
        assertThat(filesIn(cacheDir.resolve("sha256"))).isEmpty();
        assertThat(filesIn(cacheDir.resolve("tmp"))).isEmpty();
    }

    @Test
    void concurrentRequestsForOneImageShareOneDownload() throws Exception {
        byte[] image = new byte[8 << 20];
        new java.util.Random(7).nextBytes(image);
        s3.putObject(BUCKET, "big.qcow2", image);
        String sha256 = sha256(image);

        ExecutorService callers = Executors.newFixedThreadPool(8);
        CyclicBarrier together = new CyclicBarrier(8); // all ask at once, well before an 8 MiB download can end
        try {
            List<CompletableFuture<CachedImage>> results = IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        awaitBarrier(together);
                        return cache.fetch("s3://images/big.qcow2", sha256);
                    }, callers).thenCompose(ImageFetch::result))
                    .toList();
            List<CachedImage> images = results.stream().map(CompletableFuture::join).toList();

            assertThat(images).hasSize(8).allSatisfy(cached -> assertThat(cached.sha256()).isEqualTo(sha256));
        } finally {
            callers.shutdownNow();
        }
        assertThat(s3.getRequestCount(BUCKET, "big.qcow2")).isEqualTo(1);
    }

    @Test
    void reportsMissingImagesAndMissingChecksums() {
        assertThatThrownBy(() -> await(cache.fetch("s3://images/absent.qcow2", sha256(content("x")))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND));
        s3.putObject(BUCKET, "unsigned.qcow2", content("no sidecar"));
        assertThatThrownBy(() -> cache.fetch("s3://images/unsigned.qcow2", null))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_UNAVAILABLE));
    }

    @Test
    void deletesPartialDownloadsOfAPreviousRun() throws Exception {
        Path leftover = Files.writeString(cacheDir.resolve("tmp").resolve("abc-1.part"), "partial");
        cache.close();

        cache = newCache();

        assertThat(leftover).doesNotExist();
    }

    private ImageCache newCache() {
        S3Settings settings = new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
        return new ImageCache(cacheDir, Optional.of(new S3ObjectStore(settings)), 2);
    }

    private static CachedImage await(ImageFetch fetch) {
        try {
            return fetch.result().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] content(String text) {
        return (text + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
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
