package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.cachedBy;
import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.fixtures.FaultyProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Catalogue pins against eviction, with the real S3 server of {@link S3ImageCacheTest}: an image prefetched for a
 * catalogue entry stays under a small budget while unpinned entries go, stays across an agent restart, and goes once
 * unpinned; a pinned prefetch joining a running one pins too; bad pin names are refused.
 */
class CatalogPinsIntegrationTest extends S3ImageCacheTest {
    private static final int SIZE = 1 << 20;

    @Test
    void evictionUnderASmallBudgetKeepsTheCatalogPinAcrossARestartUntilUnpinned() {
        byte[] pinned = put("pin-catalog.qcow2", random(SIZE, 31));
        byte[] b = put("pin-b.qcow2", random(SIZE, 32));
        byte[] c = put("pin-c.qcow2", random(SIZE, 33));
        reopen(2L * SIZE + SIZE / 2); // room for two entries

        PrefetchStatus done = prefetchUntilDone("pin-catalog.qcow2", sha256(pinned), "debian-12");
        assertThat(done.phase()).isEqualTo(PrefetchStatus.CACHED);
        assertThat(cache.list().catalogPins()).isEqualTo(Map.of("debian-12", sha256(pinned)));
        fetchAndRelease("pin-b.qcow2", b);
        fetchAndRelease("pin-c.qcow2", c);
        assertThat(cache.cached(sha256(pinned))).as("pinned by the catalogue, oldest but kept").isPresent();
        assertThat(cache.cached(sha256(b))).as("unpinned and least recently used: evicted").isEmpty();
        assertThat(cache.cached(sha256(c))).isPresent();
        assertThatThrownBy(() -> cache.evict(sha256(pinned))).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_IN_USE));

        reopen(2L * SIZE + SIZE / 2);
        assertThat(cache.list().catalogPins()).as("durable across a restart").containsEntry("debian-12", sha256(pinned));
        fetchAndRelease("pin-b.qcow2", b);
        assertThat(cache.cached(sha256(pinned))).isPresent();
        assertThat(cache.cached(sha256(c))).as("the unpinned one made room").isEmpty();

        cache.unpinCatalog("debian-12");
        assertThat(cache.list().catalogPins()).isEmpty();
        fetchAndRelease("pin-c.qcow2", c);
        assertThat(cache.cached(sha256(pinned))).as("unpinned: now it ages out like any entry").isEmpty();
    }

    @Test
    void aPrefetchWithoutPinAgesOutAndBadPinNamesAreRefused() {
        byte[] plain = put("nopin-plain.qcow2", random(SIZE, 41));
        byte[] b = put("nopin-b.qcow2", random(SIZE, 42));
        byte[] c = put("nopin-c.qcow2", random(SIZE, 43));
        reopen(2L * SIZE + SIZE / 2);
        assertThat(prefetchUntilDone("nopin-plain.qcow2", sha256(plain), null).phase()).isEqualTo(PrefetchStatus.CACHED);
        fetchAndRelease("nopin-b.qcow2", b);
        fetchAndRelease("nopin-c.qcow2", c);
        assertThat(cache.cached(sha256(plain))).isEmpty();

        for (String name : List.of("../pins/x", "a/b", "..", ".hidden", "UPPER", "")) {
            assertThatThrownBy(() -> cache.prefetch(ImageRequest.of("s3://images/nopin-b.qcow2", sha256(b)), name))
                    .as(name).isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST));
            assertThatThrownBy(() -> cache.unpinCatalog(name)).as(name).isInstanceOf(AgentException.class);
        }
        assertThat(cacheDir.resolve("pins")).isEmptyDirectory();
        assertThat(cache.list().catalogPins()).isEmpty();
    }

    @Test
    void aPinnedPrefetchThatJoinsARunningOneStillPinsOneDownload() {
        byte[] big = put("join-big.qcow2", random(16 * SIZE, 51));
        PrefetchStatus first = cache.prefetch(ImageRequest.of("s3://images/join-big.qcow2", sha256(big)), null);
        PrefetchStatus joined = cache.prefetch(ImageRequest.of("s3://images/join-big.qcow2", sha256(big)), "big");
        assertThat(List.of(first.phase(), joined.phase())).allMatch(p -> !p.equals(PrefetchStatus.FAILED));

        await().atMost(Duration.ofSeconds(30)).until(() -> cache.list().catalogPins().containsKey("big"));
        assertThat(cache.list().catalogPins()).containsEntry("big", sha256(big));
        assertThat(counter("misses")).as("joined, not downloaded twice").isEqualTo(1);
    }

    /**
     * The image is deleted while its pinned prefetch downloads (the operator unpins and drops its finalizer at once):
     * the download finishes, but the pin must not be written after the unpin, else nothing would ever release it.
     */
    @Test
    void anUnpinWinsOverThePinnedPrefetchStillDownloading() throws Exception {
        byte[] big = put("retired-big.qcow2", random(6 * SIZE, 61));
        proxy = FaultyProxy.start(s3.endpoint());
        cache.close();
        cache = newCache(settings(), proxy.endpoint());
        proxy.pauseResponsesAfter(2L * SIZE);
        ImageRequest request = ImageRequest.of("s3://images/retired-big.qcow2", sha256(big));
        assertThat(cache.prefetch(request, "retired").phase()).isEqualTo(PrefetchStatus.DOWNLOADING);
        assertThat(proxy.awaitPaused(Duration.ofSeconds(30))).isTrue();

        cache.unpinCatalog("retired");
        proxy.release();

        // Cached, then evictable once the prefetch let go of its hold, which is after its pin callbacks ran.
        await().atMost(Duration.ofSeconds(30)).until(() -> cache.cached(sha256(big)).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> evicted(sha256(big)));
        assertThat(cache.list().catalogPins()).as("no pin outlives the unpin").isEmpty();
        assertThat(cacheDir.resolve("catalog-pins")).isEmptyDirectory();

        assertThat(prefetchUntilDone("retired-big.qcow2", sha256(big), "retired").phase())
                .isEqualTo(PrefetchStatus.CACHED);
        assertThat(cache.list().catalogPins()).as("a pinned prefetch after the unpin pins again")
                .containsEntry("retired", sha256(big));
    }

    private boolean evicted(String sha256) {
        try {
            cache.evict(sha256);
            return true;
        } catch (AgentException e) {
            assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_IN_USE);
            return false;
        }
    }

    private void reopen(long budgetBytes) {
        cache.close();
        cache = newCache(settings().withBudgetBytes(budgetBytes), s3.endpoint());
    }

    private PrefetchStatus prefetchUntilDone(String key, String sha256, String pin) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.prefetch(ImageRequest.of("s3://images/" + key, sha256), pin),
                        s -> !s.phase().equals(PrefetchStatus.DOWNLOADING));
    }

    private void fetchAndRelease(String key, byte[] content) {
        try (ImageFetch fetch = cache.fetch(ImageRequest.of("s3://images/" + key, sha256(content)))) {
            cachedBy(fetch);
        }
    }
}
