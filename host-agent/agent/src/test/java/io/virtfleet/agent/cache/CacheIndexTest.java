package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache index's locking invariants without any network: one registration per key however many requests race,
 * and pins that eviction never breaks, also while pins and commits run concurrently.
 */
class CacheIndexTest {
    private static final int SIZE = 1000;
    private static final ImageFormat RAW = new ImageFormat("raw", (long) SIZE);
    private static final String TENANT = "team-a";

    @TempDir
    Path dir;
    private CacheStore store;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        store = new CacheStore(dir);
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void racingRequestsForOneKeyRegisterExactlyOneDownloadAndAllJoinIt() throws Exception {
        CacheIndex index = new CacheIndex(store, new CachePins(dir), 0, metrics());
        CyclicBarrier together = new CyclicBarrier(8);
        List<CompletableFuture<CacheIndex.Claim>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String tenant = "tenant-" + i;
            claims.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return index.claimVerified("key", digest(1), url(1), tenant, false, true);
            }, threads));
        }
        List<CacheIndex.Claim> all = claims.stream().map(CompletableFuture::join).toList();

        List<Download> started = all.stream().map(CacheIndex.Claim::started).filter(d -> d != null).toList();
        assertThat(started).hasSize(1);
        assertThat(started.getFirst().tenants).hasSize(8); // every joiner becomes a reader of what it brings
        assertThat(all).allSatisfy(claim -> assertThat(claim.fetch().sha256()).isEqualTo(digest(1)));

        index.finished(started.getFirst());
        assertThat(index.claimVerified("key", digest(1), url(1), TENANT, false, true).started())
                .as("a finished download is not joined again").isNotNull();
    }

    @Test
    void evictionKeepsPinnedEntriesAndTakesTheLeastRecentlyUsedOthers() throws Exception {
        CacheIndex index = new CacheIndex(store, new CachePins(dir), 2L * SIZE + SIZE / 2, metrics()); // room for two
        ImageFetch pinnedA = commitAndHold(index, 1);
        commitAndHold(index, 2).close();
        commitAndHold(index, 3).close();

        assertThat(index.cached(digest(1))).as("oldest, but pinned").isPresent();
        assertThat(index.cached(digest(2))).as("least recently used unpinned").isEmpty();
        assertThat(index.cached(digest(3))).isPresent();
        assertThatThrownBy(() -> index.evict(digest(1))).isInstanceOf(AgentException.class)
                .hasMessageContaining("in use");

        pinnedA.close();
        commitAndHold(index, 4).close();
        assertThat(index.cached(digest(1))).as("released, now least recently used").isEmpty();
        assertThat(index.usedBytes()).isLessThanOrEqualTo(2L * SIZE + SIZE / 2);
        assertThat(Files.exists(store.entryPath(digest(1)))).isFalse();
    }

    @Test
    void aVolumesPinKeepsItsEntryThroughEvictionAndRestartUntilUnpinned() throws Exception {
        long budget = 2L * SIZE + SIZE / 2; // room for two
        CachePins pins = new CachePins(dir);
        CacheIndex index = new CacheIndex(store, pins, budget, metrics());
        try (ImageFetch held = commitAndHold(index, 1)) {
            pins.pin("team-a.web01-root", held.sha256()); // pinned while the fetch holds it, as a population does
        }
        commitAndHold(index, 2).close();
        commitAndHold(index, 3).close();
        assertThat(index.cached(digest(1))).as("oldest, but an overlay's backing file").isPresent();
        assertThat(index.cached(digest(2))).as("least recently used unpinned").isEmpty();
        assertThatThrownBy(() -> index.evict(digest(1))).isInstanceOf(AgentException.class)
                .hasMessageContaining("overlay");
        assertThat(index.usedBytes()).as("the budget counts the pinned entry like any other").isEqualTo(2L * SIZE);

        CachePins reopened = new CachePins(dir); // an agent restart
        assertThat(reopened.pinnedBy("team-a.web01-root")).contains(digest(1));
        CacheIndex afterRestart = new CacheIndex(new CacheStore(dir), reopened, budget, metrics());
        commitAndHold(afterRestart, 4).close();
        assertThat(afterRestart.cached(digest(1))).isPresent();

        reopened.unpin("team-a.web01-root");
        afterRestart.evict(digest(1));
        assertThat(afterRestart.cached(digest(1))).isEmpty();
        assertThat(new CachePins(dir).digests()).isEmpty();
        assertThatThrownBy(() -> reopened.pin("../escape", digest(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryPinnedByAHitSurvivesCommitsThatPushTheCacheOverBudget() throws Exception {
        CacheIndex index = new CacheIndex(store, new CachePins(dir), 2L * SIZE, metrics()); // room for two
        commitAndHold(index, 0).close();
        AtomicBoolean lost = new AtomicBoolean();
        CompletableFuture<Void> readers = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 300; i++) {
                ImageFetch hit = index.readerHit(digest(0), url(0), TENANT, false);
                if (hit == null) {
                    return; // evicted while nobody held it: allowed, and the loop is over
                }
                try (hit) {
                    if (index.cached(digest(0)).isEmpty() || !Files.exists(store.entryPath(digest(0)))) {
                        lost.set(true); // evicted while held: never allowed
                    }
                }
            }
        }, threads);
        CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> {
            for (int n = 1; n <= 60; n++) {
                try {
                    commitAndHold(index, n).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, threads);
        CompletableFuture.allOf(readers, writers).get(60, TimeUnit.SECONDS);

        assertThat(lost).as("a pinned entry was evicted").isFalse();
        assertThat(index.usedBytes()).isLessThanOrEqualTo(2L * SIZE);
    }

    /** Registers, "downloads" and commits image {@code n}; the returned fetch holds it. */
    private ImageFetch commitAndHold(CacheIndex index, int n) throws Exception {
        CacheIndex.Claim claim = index.claimVerified("key-" + n, digest(n), url(n), TENANT, false, true);
        Path tmp = store.newTempFile(digest(n));
        Files.write(tmp, new byte[SIZE]);
        index.commit(claim.started(), tmp, digest(n), SIZE, RAW, url(n), null);
        index.finished(claim.started());
        return claim.fetch();
    }

    private static String digest(int n) {
        return HexFormat.of().formatHex(Sha256.newDigest().digest(("image " + n).getBytes()));
    }

    private static ImageUrl url(int n) {
        return ImageUrl.parse("s3://images/image-" + n);
    }

    private static CacheMetrics metrics() {
        return new CacheMetrics(new SimpleMeterRegistry(), 0);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
