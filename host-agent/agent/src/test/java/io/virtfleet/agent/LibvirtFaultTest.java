package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.storage.VolumeMarker;
import io.virtfleet.fixtures.FaultyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Faults injected into libvirtd under a real agent: the daemon stopped as a package upgrade stops it (SIGTERM) while
 * the agent is idle with a running guest, and killed (SIGKILL) while a volume population is under way. The daemon is
 * a {@link PrivateLibvirtd} (never the shared system one). Each test asserts that the agent noticed (readiness and,
 * past the grace period, liveness fail; calls answer 503 LibvirtUnavailable), recovered by itself once the daemon was
 * back, and that nothing was lost or duplicated: one domain, one volume, one marker holding the image's digest, the
 * volume's bytes equal to the image.
 */
class LibvirtFaultTest {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private PrivateLibvirtd libvirtd;
    private AgentHarness harness;
    private AgentClient probes;
    /** Between the agent and S3: holds a download so that the daemon dies while a population is under way. */
    private FaultyProxy s3Proxy;

    @BeforeEach
    void start() throws Exception {
        libvirtd = PrivateLibvirtd.start();
        harness = AgentHarness.start(LibvirtSandbox.create(libvirtd.uri()), libvirtd.workDir("work"),
                config -> config.libvirtLivenessGrace(GRACE).probePort(0),
                s3 -> (s3Proxy = FaultyProxy.start(s3)).endpoint());
        probes = new AgentClient(harness.agent().probeUri().orElseThrow(), null);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (harness != null) {
                if (!libvirtd.running()) {
                    libvirtd.restart(); // the sandbox cleans up through the daemon
                }
                harness.close();
            }
            if (s3Proxy != null) {
                s3Proxy.close();
            }
        } finally {
            if (libvirtd != null) {
                libvirtd.close();
            }
        }
    }

    @Test
    void libvirtdStoppedWhileIdle_agentFailsItsProbesThenRecoversAndTheGuestKeepsRunning() throws Exception {
        String volume = harness.sandbox().name("root");
        String domain = harness.sandbox().name("vm");
        harness.provision(volume, "t1");
        assertThat(putDomain(domain, volume).phase()).isEqualTo(DomainPhase.Running);
        assertProbes(200, 200);
        // A domain this host could never hold is refused before libvirt is asked (and leaves nothing behind).
        AgentClient.Response tooBig = harness.client().domains().put(harness.sandbox().name("huge"),
                new DomainRequest(4096, 64L << 20, volume, true));
        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(409);
        assertThat(tooBig.error().reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);

        libvirtd.terminate();

        await().atMost(RECOVERY).untilAsserted(() -> assertProbes(503, 503)); // not ready at once, not live past grace
        AgentClient.Response unavailable = harness.client().domains().get(domain);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.error().reason()).isEqualTo(AgentErrorReasons.LIBVIRT_UNAVAILABLE);

        libvirtd.restart();

        await().atMost(RECOVERY).untilAsserted(() -> assertProbes(200, 200));
        assertThat(harness.client().domains().status(domain, DomainStatus.class).phase())
                .as("the guest survived the daemon's restart").isEqualTo(DomainPhase.Running);
        assertThat(putDomain(domain, volume).phase()).isEqualTo(DomainPhase.Running);
        assertNothingDuplicated(volume, domain);
    }

    @Test
    void libvirtdKilledWhilePopulating_theVolumeBecomesReadyOnceAndADomainRuns() throws Exception {
        String volume = harness.sandbox().name("root");
        String domain = harness.sandbox().name("vm");
        s3Proxy.pauseResponsesAfter(1 << 20);
        AgentClient.Response accepted = harness.client().volumes().put(volume, AgentHarness.volumeRequest("t1"));
        assertThat(accepted.status()).as(accepted.body()).isIn(200, 202);
        assertThat(s3Proxy.awaitPaused(RECOVERY)).as("the image download is held").isTrue();
        assertThat(harness.client().volumes().status(volume, VolumeStatus.class).phase())
                .isEqualTo(VolumePhase.Downloading);

        libvirtd.kill(); // SIGKILL while the population job runs; its next step (create the volume) needs libvirt

        await().atMost(RECOVERY).untilAsserted(() -> assertProbes(503, 503));
        s3Proxy.release();
        VolumeStatus failed = harness.awaitSettled(volume);
        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).as("the population met the outage").isEqualTo(AgentErrorReasons.LIBVIRT_UNAVAILABLE);
        libvirtd.restart();
        await().atMost(RECOVERY).untilAsserted(() -> assertProbes(200, 200));
        // What the operator does: PUT the same desired state again until the volume is Ready (a population that
        // failed on the unreachable daemon is retried; one that finished stays as it is).
        VolumeStatus ready = await().atMost(RECOVERY).until(() -> {
            harness.client().volumes().put(volume, AgentHarness.volumeRequest("t1"));
            return harness.awaitSettled(volume);
        }, status -> status.phase() == VolumePhase.Ready);
        assertThat(ready.imageSha256()).isEqualTo(harness.image().sha256());
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).as("volume bytes equal the image").isZero();
        assertThat(putDomain(domain, volume).phase()).isEqualTo(DomainPhase.Running);
        assertNothingDuplicated(volume, domain);
    }

    private DomainStatus putDomain(String domain, String volume) {
        AgentClient.Response response = harness.client().domains().put(domain, new DomainRequest(1, 64L << 20, volume, true));
        assertThat(response.status()).as(response.body()).isIn(200, 202);
        return await().atMost(RECOVERY).until(() -> harness.client().domains().status(domain, DomainStatus.class),
                status -> status.phase() == DomainPhase.Running);
    }

    private void assertProbes(int health, int ready) {
        assertThat(probes.send("GET", AgentPaths.HEALTH, null).status()).as("/healthz").isEqualTo(health);
        assertThat(probes.send("GET", AgentPaths.READY, null).status()).as("/readyz").isEqualTo(ready);
    }

    /** One domain, one volume in the pool, one marker naming the image's digest: nothing doubled by the retries. */
    private void assertNothingDuplicated(String volume, String domain) throws Exception {
        Connect connect = harness.sandbox().reconnect();
        List<String> domains = Stream.of(connect.listAllDomains(0)).map(this::name).toList();
        assertThat(domains).containsExactly(domain);
        assertThat(connect.storagePoolLookupByName(harness.sandbox().poolName()).listVolumes()).containsExactly(volume);
        Path markers = harness.config().stateDir().resolve("volumes");
        try (Stream<Path> files = Files.list(markers)) {
            List<VolumeMarker> all = files.map(LibvirtFaultTest::read).toList();
            assertThat(all).singleElement().satisfies(marker -> {
                assertThat(marker.name()).isEqualTo(volume);
                assertThat(marker.imageSha256()).isEqualTo(harness.image().sha256());
            });
        }
    }

    private String name(Domain domain) {
        try {
            return domain.getName();
        } catch (LibvirtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static VolumeMarker read(Path file) {
        try {
            return AgentJson.MAPPER.readValue(file.toFile(), VolumeMarker.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
