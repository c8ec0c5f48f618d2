package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.cachedBy;
import static io.virtfleet.agent.cache.CacheTestBytes.qcow2Header;
import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static io.virtfleet.agent.cache.CacheTestBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image cache against the S3 server ({@link S3ImageCacheTest}). Entries: eviction under the budget and on request,
 * the listing, restarts, and re-verification on use.
 */
class ImageCacheEntriesIntegrationTest extends S3ImageCacheTest {
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
}
