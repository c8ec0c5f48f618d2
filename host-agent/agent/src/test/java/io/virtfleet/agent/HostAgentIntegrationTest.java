package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.TestImage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

/**
 * The agent over real HTTP against the real libvirtd ({@code qemu:///system}, domain type qemu) with a {@code dir}
 * pool in a temporary folder ({@link AgentHarness}): volumes, domains, authentication, restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAgentIntegrationTest {
    private AgentHarness harness;
    private LibvirtSandbox sandbox;
    private TestImage image;
    private AgentConfig config;
    private HostAgent agent;
    private AgentClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws LibvirtException {
        // the test guest has no OS to answer the ACPI request
        harness = AgentHarness.start(dir, config -> config.shutdownTimeout(Duration.ofSeconds(1)));
        sandbox = harness.sandbox();
        image = harness.image();
        config = harness.config();
        agent = harness.agent();
        client = harness.client();
    }

    @AfterAll
    void stop() throws LibvirtException {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void populatesAVolumeRunsADomainOnItAndCleansBothUp() throws Exception {
        String volume = sandbox.name("root");
        String domain = sandbox.name("vm");

        VolumeStatus ready = provision(volume, "token-1");
        assertThat(ready.devicePath()).startsWith(config.poolPath().toString());
        assertThat(ready.imageSha256()).isEqualTo(image.sha256());
        assertThat(ready.populatedToken()).isEqualTo("token-1");
        assertThat(ready.bytesTotal()).isPositive().isEqualTo(ready.bytesDone());
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).as("qemu-img compare exit code").isZero();
        AgentClient.Response again = client.volumes().put(volume, volumeRequest("token-1"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.as(VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);

        AgentClient.Response defined = client.domains().put(domain, new DomainRequest(1, 64L << 20, volume, true));
        assertThat(defined.status()).as(defined.body()).isEqualTo(200);
        DomainStatus running = defined.as(DomainStatus.class);
        assertThat(running.phase()).isEqualTo(DomainPhase.Running);
        assertThat(sandbox.connect().domainLookupByName(domain).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
        assertThat(sandbox.connect().domainLookupByName(domain).getUUIDString()).isEqualTo(running.uuid());

        AgentClient.Response inUse = client.volumes().delete(volume);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.error().reason()).isEqualTo(AgentErrorReasons.VOLUME_IN_USE);
        assertThat(inUse.error().message()).contains(domain);

        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(client.domains().get(domain).status()).isEqualTo(404);
        assertThatThrownBy(() -> sandbox.connect().domainLookupByName(domain)).isInstanceOf(LibvirtException.class);
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);

        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
        AgentClient.Response gone = client.volumes().get(volume);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error().reason()).isEqualTo(AgentErrorReasons.VOLUME_NOT_FOUND);
        assertThat(Path.of(ready.devicePath())).doesNotExist();
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void keepsTheUuidWhenRedefiningAndStopsADomainThatShouldNotRun() throws Exception {
        String volume = sandbox.name("root-stop");
        String domain = sandbox.name("vm-stop");
        provision(volume, "t");
        DomainStatus first = client.domains().put(domain, new DomainRequest(1, 64L << 20, volume, true)).as(DomainStatus.class);

        AgentClient.Response stopping = client.domains().put(domain, new DomainRequest(2, 96L << 20, volume, false));

        assertThat(stopping.status()).isIn(200, 202);
        assertThat(stopping.as(DomainStatus.class).uuid()).isEqualTo(first.uuid());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.domains().status(domain, DomainStatus.class).phase(), phase -> phase == DomainPhase.Stopped);
        DomainInfo redefined = sandbox.connect().domainLookupByName(domain).getInfo();
        assertThat(redefined.nrVirtCpu).isEqualTo(2);
        assertThat(redefined.maxMem).as("KiB").isEqualTo(96L << 10);
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void listsTheCacheServesMetricsAndEvictsOnlyWhatIsNotInUse() {
        String volume = sandbox.name("root-cache");
        VolumeStatus ready = provision(volume, "t");
        assertThat(ready.imageVerified()).as("digest from the .sha256 file").isTrue();

        CacheListing listing = client.send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class);
        assertThat(listing.entries()).anySatisfy(entry -> {
            assertThat(entry.sha256()).isEqualTo(image.sha256());
            assertThat(entry.format()).isEqualTo("qcow2");
            assertThat(entry.virtualSizeBytes()).isEqualTo(image.virtualSize());
            assertThat(entry.sourceUrls()).contains(AgentHarness.IMAGE_URL);
        });
        AgentClient.Response entry = client.send("GET", AgentPaths.cacheImage(image.sha256()), null);
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.as(CacheEntry.class).sizeBytes()).isEqualTo(listing.usedBytes());
        assertThat(client.send("GET", AgentPaths.cacheImage("not-a-digest"), null).status()).isEqualTo(400);

        AgentClient.Response metrics = client.send("GET", AgentPaths.METRICS, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("virtfleet_image_cache_misses_total", "virtfleet_image_cache_hits_total",
                "virtfleet_image_cache_downloaded_bytes_total", "virtfleet_image_cache_download_seconds_count",
                "virtfleet_image_cache_evictions_total", "virtfleet_image_cache_checksum_failures_total",
                "virtfleet_image_cache_used_bytes");
        assertThat(new AgentClient(agent.baseUri(), null).send("GET", AgentPaths.METRICS, null).status()).isEqualTo(401);

        assertThat(client.send("DELETE", AgentPaths.cacheImage(image.sha256()), null).status()).isEqualTo(204);
        assertThat(client.send("GET", AgentPaths.cacheImage(image.sha256()), null).status()).isEqualTo(404);
        assertThat(client.volumes().get(volume).as(VolumeStatus.class).phase()).as("the volume keeps its data")
                .isEqualTo(VolumePhase.Ready);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void prefetchesAnImageOverTheApi() {
        AgentClient.Response first = client.send("POST", AgentPaths.CACHE_PREFETCH,
                new PrefetchRequest(AgentHarness.IMAGE_URL, image.sha256(), null));
        assertThat(first.status()).as(first.body()).isIn(200, 202);
        PrefetchStatus cached = await().atMost(Duration.ofSeconds(60)).until(() -> client.send("POST",
                AgentPaths.CACHE_PREFETCH, new PrefetchRequest(AgentHarness.IMAGE_URL, image.sha256(), null)).as(PrefetchStatus.class),
                status -> !status.phase().equals(PrefetchStatus.DOWNLOADING));
        assertThat(cached.phase()).isEqualTo(PrefetchStatus.CACHED);
        assertThat(cached.bytesDone()).isEqualTo(cached.bytesTotal()).isPositive();
        catalogPinOverTheApi();

        PrefetchRequest absent = new PrefetchRequest("s3://images/absent.qcow2", "ab".repeat(32), null);
        PrefetchStatus failed = await().atMost(Duration.ofSeconds(60)).until(() -> client.send("POST",
                AgentPaths.CACHE_PREFETCH, absent).as(PrefetchStatus.class), status -> !status.phase().equals(PrefetchStatus.DOWNLOADING));
        assertThat(failed.phase()).isEqualTo(PrefetchStatus.FAILED);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND);
        AgentClient.Response refused = client.send("POST", AgentPaths.CACHE_PREFETCH,
                new PrefetchRequest("file:///etc/shadow", null, null));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.UNSUPPORTED_IMAGE_URL);
    }

    /** A prefetch with catalogPin pins the cached image under the name; DELETE drops it; bad names are refused. */
    private void catalogPinOverTheApi() {
        AgentClient.Response pinned = client.send("POST", AgentPaths.CACHE_PREFETCH,
                new PrefetchRequest(AgentHarness.IMAGE_URL, image.sha256(), null, "debian-12"));
        assertThat(pinned.as(PrefetchStatus.class).phase()).isEqualTo(PrefetchStatus.CACHED);
        assertThat(client.send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class).catalogPins())
                .containsEntry("debian-12", image.sha256());
        assertThat(client.send("DELETE", AgentPaths.cacheImage(image.sha256()), null).status())
                .as("a catalogue pin keeps it from eviction on request").isEqualTo(409);
        AgentClient.Response climbing = client.send("POST", AgentPaths.CACHE_PREFETCH,
                new PrefetchRequest(AgentHarness.IMAGE_URL, image.sha256(), null, "../volumes/x"));
        assertThat(climbing.status()).isEqualTo(400);
        assertThat(climbing.error().reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST);
        assertThat(client.send("DELETE", AgentPaths.cachePin("..%2Fpins"), null).status()).isIn(400, 404);
        assertThat(client.send("DELETE", AgentPaths.cachePin("debian-12"), null).status()).isEqualTo(204);
        assertThat(client.send("GET", AgentPaths.CACHE_IMAGES, null).as(CacheListing.class).catalogPins()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(90)
    void aLongPollAnswersAsSoonAsThePhaseMoves() {
        String volume = sandbox.name("long-poll");
        VolumeStatus seen = client.volumes().put(volume, volumeRequest("t")).as(VolumeStatus.class);
        while (seen.phase() != VolumePhase.Ready && seen.phase() != VolumePhase.Failed) {
            VolumePhase before = seen.phase();
            long asked = System.nanoTime();
            seen = client.send("GET", AgentPaths.volume(volume) + "?" + AgentPaths.WAIT_WHILE_PHASE + "=" + before
                    + "&" + AgentPaths.WAIT_SECONDS + "=30", null).as(VolumeStatus.class);
            assertThat(seen.phase()).as("answered because the phase moved on").isNotEqualTo(before);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(30));
        }
        assertThat(seen.phase()).isEqualTo(VolumePhase.Ready);

        long asked = System.nanoTime();
        VolumeStatus settled = client.send("GET", AgentPaths.volume(volume) + "?" + AgentPaths.WAIT_WHILE_PHASE
                + "=Downloading", null).as(VolumeStatus.class);
        assertThat(settled.phase()).isEqualTo(VolumePhase.Ready);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("a phase already moved on answers at once")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(client.send("GET", AgentPaths.volume(volume) + "?" + AgentPaths.WAIT_WHILE_PHASE + "=Sideways",
                null).status()).isEqualTo(400);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void isReadyOnlyWhileItsDefaultPoolIsActive() throws LibvirtException {
        AgentClient anonymous = new AgentClient(agent.baseUri(), null);
        assertThat(anonymous.send("GET", AgentPaths.READY, null).status()).isEqualTo(200);

        org.libvirt.Connect libvirt = new org.libvirt.Connect(config.libvirtUri());
        org.libvirt.StoragePool pool = libvirt.storagePoolLookupByName(config.defaultPool());
        try {
            pool.destroy();
            AgentClient.Response notReady = anonymous.send("GET", AgentPaths.READY, null);
            assertThat(notReady.status()).isEqualTo(503);
            // Unauthenticated: the reason (the pool's name) goes to the agent's log, not to the caller.
            assertThat(notReady.body()).isEqualTo("not ready").doesNotContain(config.defaultPool());
            assertThat(anonymous.send("GET", AgentPaths.HEALTH, null).status()).as("alive all the same").isEqualTo(200);
        } finally {
            if (pool.isActive() == 0) {
                pool.create(0);
            }
            libvirt.close();
        }
        assertThat(anonymous.send("GET", AgentPaths.READY, null).status()).isEqualTo(200);
    }

    @Test
    void rejectsCallsWithoutTheRightToken() {
        AgentClient anonymous = new AgentClient(agent.baseUri(), null);
        AgentClient.Response missing = anonymous.volumes().get("anything");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.error().reason()).isEqualTo(AgentErrorReasons.UNAUTHORIZED);

        AgentClient.Response wrong = new AgentClient(agent.baseUri(), "not-the-token").domains().delete("anything");
        assertThat(wrong.status()).isEqualTo(401);

        AgentClient.Response health = anonymous.send("GET", AgentPaths.HEALTH, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
    }

    @Test
    void answersInvalidRequestsWith400AndSaysWhy() {
        AgentClient.Response badName = client.volumes().put("Bad_Name", volumeRequest("t"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.error().reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST);

        AgentClient.Response badSize = client.volumes().put(sandbox.name("x"), new VolumeRequest(AgentHarness.IMAGE_URL, null, -1, null, "t"));
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.error().message()).contains("sizeBytes");

        AgentClient.Response badUrl = client.volumes().put(sandbox.name("x"),
                new VolumeRequest("ftp://host/image", null, AgentHarness.VOLUME_SIZE, null, "t"));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.error().reason()).isEqualTo(AgentErrorReasons.UNSUPPORTED_IMAGE_URL);

        AgentClient.Response badJson = client.send("PUT", AgentPaths.volume(sandbox.name("x")), "not an object");
        assertThat(badJson.status()).isEqualTo(400);
    }

    @Test
    void refusesADomainWhoseVolumeIsNotReady() {
        AgentClient.Response response = client.domains().put(sandbox.name("vm-orphan"),
                new DomainRequest(1, 64L << 20, sandbox.name("no-such-volume"), true));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.error().reason()).isEqualTo(AgentErrorReasons.VOLUME_NOT_READY);
        assertThat(client.domains().get(sandbox.name("vm-orphan")).status()).isEqualTo(404);
    }

    @Test
    void failsAVolumeSmallerThanTheImage() {
        String volume = sandbox.name("too-small");
        client.volumes().put(volume, new VolumeRequest(AgentHarness.IMAGE_URL, null, 1L << 20, null, "t"));

        VolumeStatus failed = awaitSettled(volume);

        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.VOLUME_TOO_SMALL);
        assertThat(failed.error().message()).contains(String.valueOf(image.virtualSize()));
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void aRestartedAgentRebuildsVolumeStatusFromLibvirtAndMarkers() {
        String volume = sandbox.name("root-restart");
        provision(volume, "token-a");

        try (HostAgent restarted = HostAgent.start(config)) {
            AgentClient other = new AgentClient(restarted.baseUri(), AgentHarness.TOKEN);
            VolumeStatus status = other.volumes().status(volume, VolumeStatus.class);
            assertThat(status.phase()).isEqualTo(VolumePhase.Ready);
            assertThat(status.populatedToken()).isEqualTo("token-a");
            assertThat(status.imageSha256()).isEqualTo(image.sha256());

            AgentClient.Response reprovision = other.volumes().put(volume, volumeRequest("token-b"));
            assertThat(reprovision.status()).as(reprovision.body()).isIn(200, 202);
            VolumeStatus repopulated = await().atMost(Duration.ofSeconds(60))
                    .until(() -> other.volumes().status(volume, VolumeStatus.class), s -> s.phase() == VolumePhase.Ready);
            assertThat(repopulated.populatedToken()).isEqualTo("token-b");
        }
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void anAgentStoppedDuringReprovisioningNeverReportsTheOldContentReady() throws Exception {
        String volume = sandbox.name("root-kill");
        VolumeStatus before = provision(volume, "token-a");

        try (HostAgent doomed = HostAgent.start(config)) {
            AgentClient.Response accepted = new AgentClient(doomed.baseUri(), AgentHarness.TOKEN).volumes()
                    .put(volume, volumeRequest("token-b"));
            assertThat(accepted.status()).as(accepted.body()).isIn(200, 202);
        } // closing kills a running qemu-img: the population may stop anywhere

        VolumeStatus after = client.volumes().status(volume, VolumeStatus.class);
        assertThat(after.populatedToken()).isNotEqualTo(before.populatedToken());
        if (after.phase() == VolumePhase.Ready) { // the population finished before the agent stopped
            assertThat(after.populatedToken()).isEqualTo("token-b");
            assertThat(harness.compareWithImage(Path.of(after.devicePath()))).isZero();
        } else {
            assertThat(after.phase()).isEqualTo(VolumePhase.Pending);
        }
        assertThat(provision(volume, "token-b").populatedToken()).isEqualTo("token-b");
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    private VolumeStatus provision(String volume, String token) {
        return harness.provision(volume, token);
    }

    private VolumeStatus awaitSettled(String volume) {
        return harness.awaitSettled(volume);
    }

    private static VolumeRequest volumeRequest(String token) {
        return AgentHarness.volumeRequest(token);
    }
}
