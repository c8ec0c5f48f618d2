package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.fixtures.UnsafeImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * Copy-on-write root volumes on the real libvirtd and qemu-img: a qcow2 overlay whose backing file is the agent's own
 * verified cache entry, the entry pinned while the overlay exists, reprovision and delete as for full copies, and
 * nothing but a cache entry ever becoming a backing file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlayVolumeIntegrationTest {
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
    void anOverlayIsAThinLayerOverTheVerifiedCacheEntryAndReadsAsTheImage() throws Exception {
        TestImage image = harness.image();
        String volume = harness.sandbox().name("overlay-root");
        VolumeStatus ready = provision(volume, "t1", VolumeProvisioning.Overlay);

        Path overlay = Path.of(ready.devicePath());
        Path entry = harness.config().cacheDir().resolve("sha256").resolve(image.sha256());
        JsonNode chain = backingChain(overlay);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).path("format").asText()).isEqualTo("qcow2");
        assertThat(chain.get(0).path("full-backing-filename").asText()).isEqualTo(entry.toString());
        assertThat(chain.get(0).path("backing-filename-format").asText()).as("written, never probed").isEqualTo("qcow2");
        assertThat(chain.get(0).path("virtual-size").asLong()).isEqualTo(image.virtualSize());
        assertThat(chain.get(1).path("filename").asText()).isEqualTo(entry.toString());
        assertThat(chain.get(1).has("backing-filename")).as("the chain ends at the cache entry").isFalse();
        assertThat(Files.size(overlay)).as("no data copied").isLessThan(1L << 20);
        assertThat(sha256OfRaw(overlay, "qcow2")).as("guest-visible data").isEqualTo(sha256OfRaw(image.path(), "qcow2"));

        assertThat(cacheEntry(image.sha256()).inUse()).isTrue();
        AgentClient.Response evict = harness.client().send("DELETE", AgentPaths.cacheImage(image.sha256()), null);
        assertThat(evict.status()).isEqualTo(409);
        assertThat(evict.error().reason()).isEqualTo(AgentErrorReasons.IMAGE_IN_USE);

        assertThat(harness.client().volumes().delete(volume).status()).isEqualTo(204);
        assertThat(overlay).doesNotExist();
        assertThat(pins()).as("deletion unpins").isEmpty();
        assertThat(harness.client().send("DELETE", AgentPaths.cacheImage(image.sha256()), null).status())
                .as("an unpinned entry can be evicted").isEqualTo(204);
    }

    @Test
    void reprovisionMakesAFreshLayerGrowingKeepsTheChainAndSwitchingProvisioningNeedsANewToken() throws Exception {
        String volume = harness.sandbox().name("switch-root");
        provision(volume, "t1", VolumeProvisioning.Copy);
        AgentClient.Response sameToken = harness.client().volumes().put(volume, request("t1", VolumeProvisioning.Overlay));
        assertThat(sameToken.status()).isEqualTo(409);
        assertThat(sameToken.error().message()).contains("provisioned as Copy", "change reprovisionToken");

        Path overlay = Path.of(provision(volume, "t2", VolumeProvisioning.Overlay).devicePath());
        assertThat(backingChain(overlay)).hasSize(2);
        qemuIo(overlay, "write -P 0x5a 0 1M"); // what a guest writes lands in the overlay only
        assertThat(sha256OfRaw(overlay, "qcow2")).isNotEqualTo(sha256OfRaw(harness.image().path(), "qcow2"));
        assertThat(sha256OfRaw(cacheEntryPath(), "qcow2")).as("the cache entry is untouched")
                .isEqualTo(sha256OfRaw(harness.image().path(), "qcow2"));

        AgentClient.Response answered = harness.client().volumes().put(volume, request("t3", VolumeProvisioning.Overlay));
        assertThat(answered.status()).as("an overlay over a cached image is Ready by the PUT's answer: %s",
                answered.body()).isEqualTo(200);
        assertThat(answered.as(VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(sha256OfRaw(overlay, "qcow2")).as("a fresh layer after reprovision")
                .isEqualTo(sha256OfRaw(harness.image().path(), "qcow2"));
        assertThat(pins()).containsExactly(volume);
        VolumeRequest bigger = new VolumeRequest(AgentHarness.IMAGE_URL, harness.image().sha256(),
                2 * harness.image().virtualSize(), null, "t3", null, null, null, VolumeProvisioning.Overlay);
        assertThat(harness.client().volumes().put(volume, bigger).status()).as("grown in place").isEqualTo(200);
        assertThat(backingChain(overlay).get(0).path("virtual-size").asLong()).isEqualTo(2 * harness.image().virtualSize());
        assertThat(backingChain(overlay).get(0).path("full-backing-filename").asText())
                .isEqualTo(cacheEntryPath().toString());

        Path copy = Path.of(harness.provision(volume, new VolumeRequest(AgentHarness.IMAGE_URL, harness.image().sha256(),
                2 * harness.image().virtualSize(), null, "t4")).devicePath()); // never shrinks: the grown size
        assertThat(backingChain(copy)).hasSize(1);
        assertThat(backingChain(copy).get(0).path("format").asText()).isEqualTo("raw");
        assertThat(harness.compareWithImage(copy)).isZero();
        assertThat(pins()).as("a full copy pins nothing").isEmpty();
        assertThat(harness.client().volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void aRequestCannotNameABackingFileAndAnImageWithOneIsRefused() throws Exception {
        String volume = harness.sandbox().name("abuse-root");
        Map<String, Object> body = Map.of("imageUrl", AgentHarness.IMAGE_URL, "sizeBytes", AgentHarness.VOLUME_SIZE,
                "provisioning", "Overlay", "backingFile", "/etc/shadow");
        AgentClient.Response named = harness.client().volumes().put(volume, body);
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.body()).contains("unknown field 'backingFile'");

        TestImage evil = UnsafeImages.backingFileImage(dir.resolve("tenant-upload"), "evil-overlay");
        harness.s3().putObject("images", "evil-overlay.qcow2", evil.path());
        harness.client().volumes().put(volume, new VolumeRequest("s3://images/evil-overlay.qcow2", evil.sha256(),
                AgentHarness.VOLUME_SIZE, null, "t1", null, null, null, VolumeProvisioning.Overlay));
        VolumeStatus refused = harness.awaitSettled(volume);
        assertThat(refused.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        assertThat(Arrays.asList(harness.sandbox().connect().storagePoolLookupByName(harness.sandbox().poolName())
                .listVolumes())).doesNotContain(volume);
        assertThat(pins()).doesNotContain(volume);
    }

    private VolumeStatus provision(String volume, String token, VolumeProvisioning provisioning) {
        return harness.provision(volume, request(token, provisioning));
    }

    /** Exactly the image's virtual size, so that the overlay's guest-visible bytes and the image's compare 1:1. */
    private VolumeRequest request(String token, VolumeProvisioning provisioning) {
        return new VolumeRequest(AgentHarness.IMAGE_URL, harness.image().sha256(), harness.image().virtualSize(), null,
                token, null, null, null, provisioning);
    }

    private CacheEntry cacheEntry(String sha256) {
        CacheListing listing = harness.client().send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class);
        return listing.entries().stream().filter(e -> e.sha256().equals(sha256)).findFirst().orElseThrow();
    }

    private Path cacheEntryPath() {
        return harness.config().cacheDir().resolve("sha256").resolve(harness.image().sha256());
    }

    private List<String> pins() throws IOException {
        Path pins = harness.config().cacheDir().resolve("pins");
        try (var files = Files.list(pins)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static JsonNode backingChain(Path volume) throws Exception {
        return AgentJson.MAPPER.readTree(run("qemu-img", "info", "--backing-chain", "--output=json", "-U",
                volume.toString()));
    }

    /** The guest-visible bytes as raw, hashed: what a guest reads from the disk. */
    private String sha256OfRaw(Path disk, String format) throws Exception {
        Path raw = Files.createTempFile(dir, "guest-view", ".raw");
        run("qemu-img", "convert", "-f", format, "-O", "raw", disk.toString(), raw.toString());
        try {
            return TestImages.sha256(raw);
        } finally {
            Files.delete(raw);
        }
    }

    private static void qemuIo(Path qcow2, String command) throws Exception {
        run("qemu-io", "-f", "qcow2", "-c", command, qcow2.toString());
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
