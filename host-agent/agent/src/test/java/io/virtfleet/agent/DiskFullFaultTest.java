package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.cache.DownloadLimits;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.FaultyProxy;
import io.virtfleet.fixtures.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected: the image cache and the storage pool each on a small loop-mounted ext4 file system ({@value #DISK_MIB}
 * MiB) that a filler file fills up, before a download, in the middle of one (held by a proxy at
 * {@value #HOLD_AT_BYTES} bytes while the disk fills), and before a population. Each time the volume fails as
 * {@code HostDiskFull} with a message naming the full disk, never Ready, with no cache entry and no partial download
 * left; once the space is back the same request gives a Ready volume holding exactly the image.
 */
class DiskFullFaultTest {
    private static final int DISK_MIB = 64;
    private static final long FREE_RESERVE = 4L << 20;
    private static final long HOLD_AT_BYTES = 256 << 10;

    private LoopFilesystem cacheDisk;
    private LoopFilesystem poolDisk;
    private FaultyProxy proxy;
    private AgentHarness harness;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        cacheDisk = LoopFilesystem.mount(dir.resolve("cache.img"), dir.resolve("cache-disk"), DISK_MIB);
        poolDisk = LoopFilesystem.mount(dir.resolve("pool.img"), dir.resolve("pool-disk"), DISK_MIB);
        DownloadLimits limits = new DownloadLimits(DownloadLimits.DEFAULTS.maxImageBytes(),
                DownloadLimits.DEFAULTS.deadline(), DownloadLimits.DEFAULTS.minBytesPerSecond(),
                DownloadLimits.DEFAULTS.rateWindow(), FREE_RESERVE);
        harness = AgentHarness.start(dir, config -> config.cacheDir(cacheDisk.path().resolve("cache"))
                        .poolPath(poolDisk.path().resolve("pool"))
                        .cache(AgentHarness.cacheSettings().withLimits(limits)),
                endpoint -> (proxy = FaultyProxy.start(endpoint)).endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (harness != null) {
                harness.close(); // removes the pool's volumes before its disk goes
            }
        } finally {
            for (LoopFilesystem disk : new LoopFilesystem[]{cacheDisk, poolDisk}) {
                if (disk != null) {
                    disk.close();
                }
            }
        }
    }

    @Test
    void aDownloadThatWouldBreakTheCachesFreeReserveIsRefusedBeforeAByteIsWritten() throws Exception {
        cacheDisk.fill(FREE_RESERVE + (1 << 20)); // the image (~3 MiB) would take the disk below the reserve
        String volume = harness.sandbox().name("reserve");

        VolumeStatus refused = settle(volume);

        assertDiskFull(refused, "image cache's file system", "MiB kept free");
        assertThat(harness.s3().getRequestCount("images", "test-image.qcow2")).as("not a byte downloaded").isZero();
        recoverOnceSpaceIsFreed(volume, cacheDisk);
    }

    @Test
    void theCacheDiskFillingUpMidDownloadFailsAsHostDiskFullAndKeepsNothingPartial() throws Exception {
        String volume = harness.sandbox().name("cache-full");
        proxy.pauseResponsesAfter(HOLD_AT_BYTES);
        assertThat(harness.client().volumes().put(volume, AgentHarness.volumeRequest("t")).status()).isIn(200, 202);
        assertThat(proxy.awaitPaused(Duration.ofSeconds(20))).as("download held mid-image").isTrue();

        cacheDisk.fill(0);
        proxy.release();
        VolumeStatus failed = harness.awaitSettled(volume);

        assertDiskFull(failed, "image cache's file system", cacheDisk.path().toString());
        recoverOnceSpaceIsFreed(volume, cacheDisk);
    }

    @Test
    void thePoolDiskFillingUpDuringPopulateFailsAsHostDiskFullAndTheVolumeIsNotReady() throws Exception {
        poolDisk.fill(1 << 20); // the image's ~3 MiB of data do not fit
        String volume = harness.sandbox().name("pool-full");

        VolumeStatus failed = settle(volume);

        assertThat(failed.error().reason()).as("%s", failed.error()).isEqualTo(AgentErrorReasons.HOST_DISK_FULL);
        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().message()).contains("storage pool", "free space in the pool");
        assertThat(Files.exists(harness.config().stateDir().resolve("volumes").resolve(volume + ".json")))
                .as("no marker: the volume is never Ready").isFalse();
        harness.assertOnlyTheImageIsCachedIntact(); // the cache's disk was fine: the image stays cached
        recoverOnceSpaceIsFreed(volume, poolDisk);
    }

    private VolumeStatus settle(String volume) {
        assertThat(harness.client().volumes().put(volume, AgentHarness.volumeRequest("t")).status()).isIn(200, 202);
        return harness.awaitSettled(volume);
    }

    /** The cache-side disk-full outcome: the reason, a message naming the disk, no entry and nothing partial. */
    private void assertDiskFull(VolumeStatus failed, String... messageParts) {
        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).as("%s", failed.error()).isEqualTo(AgentErrorReasons.HOST_DISK_FULL);
        assertThat(failed.error().message()).contains(messageParts);
        assertThat(harness.client().send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class).entries())
                .isEmpty();
        assertThat(cacheDisk.filesUnder("cache/tmp")).as("partial downloads").isEmpty();
        assertThat(cacheDisk.filesUnder("cache/sha256")).isEmpty();
    }

    /** Space back, the same request again (as the operator repeats it): Ready with exactly the image. */
    private void recoverOnceSpaceIsFreed(String volume, LoopFilesystem disk) throws Exception {
        disk.unfill();
        VolumeStatus ready = harness.provision(volume, "t");
        harness.assertOnlyTheImageIsCachedIntact();
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).as("volume holds exactly the image").isZero();
    }
}
