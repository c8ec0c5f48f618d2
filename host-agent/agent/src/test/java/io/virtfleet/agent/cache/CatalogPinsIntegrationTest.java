package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.ImageCacheIntegrationTest.random;
import static io.virtfleet.agent.cache.ImageCacheIntegrationTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.fixtures.InProcessS3;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue pins against eviction, with a real S3 server in this JVM: an image prefetched for a catalogue entry stays
 * under a small budget while unpinned entries go, stays across an agent restart, and goes once unpinned.
 */
class CatalogPinsIntegrationTest {
    private static final String BUCKET = "images";
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;
    private InProcessS3 s3;
    private ImageCache cache;

    @BeforeEach
    void start() {
        s3 = InProcessS3.start(dir.resolve("s3"));
        s3.createBucket(BUCKET);
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        s3.close();
    }

    @Test
    void evictionUnderASmallBudgetKeepsTheCatalogPinAcrossARestartUntilUnpinned() {
        byte[] pinned = put("catalog.qcow2", random(SIZE, 31));
        byte[] b = put("b.qcow2", random(SIZE, 32));
        byte[] c = put("c.qcow2", random(SIZE, 33));
        cache = open();

        PrefetchStatus done = prefetchUntilDone("s3://images/catalog.qcow2", sha256(pinned), "debian-12");
        assertThat(done.phase()).isEqualTo(PrefetchStatus.CACHED);
        assertThat(cache.list().catalogPins()).isEqualTo(Map.of("debian-12", sha256(pinned)));
        fetchAndRelease("b.qcow2", b);
        fetchAndRelease("c.qcow2", c);
        assertThat(cache.cached(sha256(pinned))).as("pinned by the catalogue, oldest but kept").isPresent();
        assertThat(cache.cached(sha256(b))).as("unpinned and least recently used: evicted").isEmpty();
        assertThat(cache.cached(sha256(c))).isPresent();
        assertThatThrownBy(() -> cache.evict(sha256(pinned))).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_IN_USE));

        cache.close();
        cache = open();
        assertThat(cache.list().catalogPins()).as("durable across a restart").containsEntry("debian-12", sha256(pinned));
        fetchAndRelease("b.qcow2", b);
        assertThat(cache.cached(sha256(pinned))).isPresent();
        assertThat(cache.cached(sha256(c))).as("the unpinned one made room").isEmpty();

        cache.unpinCatalog("debian-12");
        assertThat(cache.list().catalogPins()).isEmpty();
        fetchAndRelease("c.qcow2", c);
        assertThat(cache.cached(sha256(pinned))).as("unpinned: now it ages out like any entry").isEmpty();
    }

    @Test
    void aPrefetchWithoutPinAgesOutAndBadPinNamesAreRefused() {
        byte[] plain = put("plain.qcow2", random(SIZE, 41));
        byte[] b = put("b.qcow2", random(SIZE, 42));
        byte[] c = put("c.qcow2", random(SIZE, 43));
        cache = open();
        assertThat(prefetchUntilDone("s3://images/plain.qcow2", sha256(plain), null).phase())
                .isEqualTo(PrefetchStatus.CACHED);
        fetchAndRelease("b.qcow2", b);
        fetchAndRelease("c.qcow2", c);
        assertThat(cache.cached(sha256(plain))).isEmpty();

        for (String name : List.of("../pins/x", "a/b", "..", ".hidden", "UPPER", "")) {
            assertThatThrownBy(() -> cache.prefetch(ImageRequest.of("s3://images/b.qcow2", sha256(b)), name))
                    .as(name).isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST));
            assertThatThrownBy(() -> cache.unpinCatalog(name)).as(name).isInstanceOf(AgentException.class);
        }
        assertThat(dir.resolve("cache").resolve("pins")).isEmptyDirectory();
        assertThat(cache.list().catalogPins()).isEmpty();
    }

    @Test
    void aPinnedPrefetchThatJoinsARunningOneStillPinsOneDownload() {
        byte[] big = put("big.qcow2", random(16 * SIZE, 51));
        cache = open(64L * SIZE);
        PrefetchStatus first = cache.prefetch(ImageRequest.of("s3://images/big.qcow2", sha256(big)), null);
        PrefetchStatus joined = cache.prefetch(ImageRequest.of("s3://images/big.qcow2", sha256(big)), "big");
        assertThat(List.of(first.phase(), joined.phase())).allMatch(p -> !p.equals(PrefetchStatus.FAILED));

        await().atMost(Duration.ofSeconds(30)).until(() -> cache.list().catalogPins().containsKey("big"));
        assertThat(cache.list().catalogPins()).containsEntry("big", sha256(big));
        assertThat(s3.getRequestCount(BUCKET, "big.qcow2")).as("joined, not downloaded twice").isEqualTo(1);
    }

    private PrefetchStatus prefetchUntilDone(String url, String sha256, String pin) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> cache.prefetch(ImageRequest.of(url, sha256), pin),
                s -> !s.phase().equals(PrefetchStatus.DOWNLOADING));
    }

    private void fetchAndRelease(String key, byte[] content) {
        try (ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/" + key, sha256(content)))) {
            ImageCacheIntegrationTest.cachedBy(fetch);
        }
    }

    private ImageCache open() {
        return open(2L * SIZE + SIZE / 2); // room for two entries
    }

    private ImageCache open(long budgetBytes) {
        S3Settings settings = new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
        return new ImageCache(dir.resolve("cache"), CacheSettings.DEFAULTS.withBudgetBytes(budgetBytes)
                .withS3PlatformPrefixes(List.of(BUCKET + "/")), Optional.of(settings), new SimpleMeterRegistry());
    }

    private byte[] put(String key, byte[] content) {
        s3.putObject(BUCKET, key, content);
        return content;
    }
}
