package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentHarness;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.domain.DomainHostPolicy;
import io.virtfleet.agent.domain.DomainService;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume population and domain start share one lock per volume (real libvirtd, real qemu-img): a start while the
 * volume is Populating is refused with VolumeNotReady and nothing runs; a population waits for a start under way.
 * The population is held in Populating by the service's test hook.
 */
class PopulateStartLockIntegrationTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void aDomainNeverStartsOnAVolumeBeingRepopulatedAndAPopulationWaitsForAStart(@TempDir Path dir) throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch populating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AgentHarness harness = AgentHarness.start(dir.resolve("harness"), config -> config);
             LibvirtConnection libvirt = LibvirtConnection.open(harness.config().libvirtUri());
             ImageCache cache = new ImageCache(dir.resolve("cache"), harness.config().cache(),
                     Optional.of(harness.config().s3()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            StoragePools pools = new StoragePools(libvirt);
            String pool = harness.config().defaultPool();
            Path state = dir.resolve("state");
            try (VolumeService volumes = new VolumeService(libvirt, pools, cache, state, pool, 2, HostAllowLists.NONE,
                    name -> {
                        if (hold.get()) {
                            populating.countDown();
                            awaitLatch(release);
                        }
                    });
                 DomainService domains = new DomainService(libvirt, volumes, pools, state, "qemu", Duration.ofSeconds(1),
                         new DomainHostPolicy(HostAllowLists.NONE, List.of(dir.resolve("cache"), state), pools,
                                 io.virtfleet.agent.device.HostDeviceInventory.none()))) {
                String volume = harness.sandbox().name("race-root");
                String domain = harness.sandbox().name("race");
                volumes.put(volume, AgentHarness.volumeRequest("t1"));
                awaitPhase(volumes, volume, VolumePhase.Ready);

                hold.set(true);
                volumes.put(volume, AgentHarness.volumeRequest("t2"));
                assertThat(populating.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(volumes.get(volume).phase()).isEqualTo(VolumePhase.Populating);

                assertThatThrownBy(() -> domains.put(domain, new DomainRequest(1, 64L << 20, volume, true)))
                        .isInstanceOfSatisfying(AgentException.class,
                                e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.VOLUME_NOT_READY));
                assertThatThrownBy(() -> domains.get(domain)).as("nothing defined, nothing started")
                        .isInstanceOfSatisfying(AgentException.class,
                                e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.DOMAIN_NOT_FOUND));

                hold.set(false);
                release.countDown();
                awaitPhase(volumes, volume, VolumePhase.Ready);
                assertThat(domains.put(domain, new DomainRequest(1, 64L << 20, volume, false)).phase())
                        .isEqualTo(DomainPhase.Stopped);

                // a start under way (the volume's lock held as a start holds it): the population does not begin
                CountDownLatch starting = new CountDownLatch(1);
                CountDownLatch started = new CountDownLatch(1);
                ExecutorService threads = Executors.newFixedThreadPool(2); // not the common pool: one thread on 2 cores
                CompletableFuture<Void> start = CompletableFuture.runAsync(() -> volumes.withReadyVolume(volume, v -> {
                    starting.countDown();
                    awaitLatch(started);
                    return null;
                }), threads);
                assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<VolumeStatus> reprovision = CompletableFuture.supplyAsync(
                        () -> volumes.put(volume, AgentHarness.volumeRequest("t3")), threads);
                await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !reprovision.isDone());
                assertThat(volumes.get(volume).phase()).isEqualTo(VolumePhase.Ready);
                assertThat(volumes.get(volume).populatedToken()).isEqualTo("t2");

                started.countDown();
                start.get(10, TimeUnit.SECONDS);
                reprovision.get(10, TimeUnit.SECONDS);
                threads.shutdown();
                VolumeStatus done = awaitPhase(volumes, volume, VolumePhase.Ready);
                assertThat(done.populatedToken()).isEqualTo("t3");

                domains.delete(domain);
                volumes.delete(volume);
            } finally {
                release.countDown();
            }
        }
    }

    private static VolumeStatus awaitPhase(VolumeService volumes, String volume, VolumePhase phase) {
        return await().atMost(SETTLE).until(() -> volumes.get(volume), status -> {
            assertThat(status.phase()).as("%s", status.error()).isNotEqualTo(VolumePhase.Failed);
            return status.phase() == phase;
        });
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
