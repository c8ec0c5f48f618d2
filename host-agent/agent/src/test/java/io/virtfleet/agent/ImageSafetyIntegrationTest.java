package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.fixtures.UnsafeImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * Untrusted images through the real agent API, real libvirtd and qemu-img, and an S3 server in this JVM: an image that
 * names a host file never brings that file's bytes anywhere, raw images populate, declared formats are enforced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageSafetyIntegrationTest {
    private AgentHarness harness;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws LibvirtException {
        this.dir = dir;
        harness = AgentHarness.start(dir, config -> config);
    }

    @AfterAll
    void stop() throws LibvirtException {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aQcow2WithAHostBackingFileEndsFailedAndLeavesNoTrace() throws Exception {
        TestImage evil = UnsafeImages.backingFileImage(dir.resolve("tenant-upload"), "evil");
        harness.s3().putObject("images", "evil.qcow2", evil.path());
        harness.s3().putObject("images", "evil.qcow2.sha256", evil.sha256Sidecar().getBytes(StandardCharsets.UTF_8));
        String volume = harness.sandbox().name("evil-root");

        AgentClient.Response accepted = harness.client().volumes().put(volume,
                new VolumeRequest("s3://images/evil.qcow2", null, AgentHarness.VOLUME_SIZE, null, "t1"));
        assertThat(accepted.status()).as(accepted.body()).isIn(200, 202);
        VolumeStatus failed = harness.awaitSettled(volume);

        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        assertThat(failed.error().message()).contains("backing file");
        CacheListing listing = harness.client().send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class);
        assertThat(listing.entries()).extracting(CacheEntry::sha256).doesNotContain(evil.sha256());
        assertThat(Arrays.asList(harness.sandbox().connect().storagePoolLookupByName(harness.sandbox().poolName())
                .listVolumes())).doesNotContain(volume);
        assertThat(UnsafeImages.filesWithSentinel(harness.config().poolPath(), harness.config().cacheDir(),
                harness.config().stateDir())).isEmpty();
    }

    @Test
    void aRawImagePopulatesAndADeclaredFormatMustMatch() throws Exception {
        TestImage qcow2 = harness.image();
        Path raw = qcow2.writeRaw(dir.resolve("disk.raw"));
        harness.s3().putObject("images", "disk.raw", raw);
        String sha256 = TestImages.sha256(raw);

        String rawVolume = harness.sandbox().name("raw-root");
        harness.client().volumes().put(rawVolume, new VolumeRequest("s3://images/disk.raw", sha256,
                AgentHarness.VOLUME_SIZE, null, "t1", null, "raw", null));
        VolumeStatus ready = harness.awaitSettled(rawVolume);
        assertThat(ready.phase()).as("%s", ready.error()).isEqualTo(VolumePhase.Ready);
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).isZero();

        String mismatch = harness.sandbox().name("declared-qcow2");
        harness.client().volumes().put(mismatch, new VolumeRequest("s3://images/disk.raw", sha256,
                AgentHarness.VOLUME_SIZE, null, "t1", null, "qcow2", null));
        VolumeStatus refused = harness.awaitSettled(mismatch);
        assertThat(refused.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        assertThat(refused.error().message()).contains("declared qcow2 but is raw");
        assertThat(Files.exists(harness.config().poolPath().resolve(mismatch))).isFalse();
    }
}
