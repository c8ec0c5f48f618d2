package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.cache.RetryPolicy;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.FaultyProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected: the S3 server (S3Proxy in this JVM) stopped while a volume's image is half downloaded, its connections cut,
 * and started again on the same port, once within the agent's retries and once after they ran out. A proxy in front
 * holds the download at {@value #HOLD_AT_BYTES} bytes so that the outage really starts mid-download. Whatever
 * happens, the volume ends Ready with exactly the image: one cache entry, its digest right, nothing partial.
 */
class S3OutageFaultTest {
    private static final long HOLD_AT_BYTES = 256 << 10;
    /** About 8 s of retries without progress (backoff 0.1 s doubling to 1 s, ±20 %). */
    private static final RetryPolicy RETRY = new RetryPolicy(12, Duration.ofMillis(100), Duration.ofSeconds(1));

    private AgentHarness harness;
    private FaultyProxy proxy;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        harness = AgentHarness.start(dir,
                config -> config.cache(AgentHarness.cacheSettings().withRetry(RETRY, Duration.ofSeconds(5))),
                endpoint -> (proxy = FaultyProxy.start(endpoint)).endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void anOutageShorterThanTheRetriesIsRiddenOutAndTheDownloadResumes() throws Exception {
        String volume = harness.sandbox().name("short-outage");
        stopTheStoreMidDownload(volume);

        VolumeStatus during = await().atMost(Duration.ofSeconds(5)).until(() -> status(volume),
                s -> s.error() != null);
        assertThat(during.phase()).isEqualTo(VolumePhase.Downloading);
        assertThat(during.error().reason()).isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE);

        harness.s3().restart();
        VolumeStatus after = harness.awaitSettled(volume);

        assertThat(after.phase()).as("no new request was needed").isEqualTo(VolumePhase.Ready);
        assertThat(after.error()).isNull();
        assertIntact(after);
    }

    @Test
    void anOutageLongerThanTheRetriesFailsTheVolumeAsUnreachableAndTheNextRequestSucceeds() throws Exception {
        String volume = harness.sandbox().name("long-outage");
        stopTheStoreMidDownload(volume);

        VolumeStatus failed = harness.awaitSettled(volume);
        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE);
        assertThat(failed.error().message()).contains("object store does not answer", AgentHarness.IMAGE_URL)
                .doesNotContain("X-Amz-Signature");

        harness.s3().restart();
        VolumeStatus after = harness.provision(volume, "t"); // what the operator does after its retry interval

        assertIntact(after);
    }

    @Test
    void aStoreAlreadyDownWhenTheVolumeIsRequestedIsUnreachableNotAPopulationFailure() throws Exception {
        String volume = harness.sandbox().name("down-before");
        harness.s3().close(); // the checksum file is the first thing read: through the S3 SDK, not the download path

        VolumeStatus failed = harness.awaitSettled(put(volume));
        assertThat(failed.phase()).isEqualTo(VolumePhase.Failed);
        assertThat(failed.error().reason()).as("%s", failed.error()).isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE);

        harness.s3().restart();
        assertIntact(harness.provision(volume, "t"));
    }

    private String put(String volume) {
        assertThat(harness.client().volumes().put(volume, AgentHarness.volumeRequest("t")).status()).isIn(200, 202);
        return volume;
    }

    /** Holds the volume's download mid-image, stops the S3 server, cuts the held connections, lets new ones through. */
    private void stopTheStoreMidDownload(String volume) throws Exception {
        proxy.pauseResponsesAfter(HOLD_AT_BYTES);
        put(volume);
        assertThat(proxy.awaitPaused(Duration.ofSeconds(20))).as("download held mid-image").isTrue();
        assertThat(status(volume).bytesDone()).isLessThan(harness.image().path().toFile().length());

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(harness.s3()::close);
        proxy.dropAll(); // the server waits for its open requests while it stops: end them as a crash would
        stopped.get();
        proxy.release();
    }

    private void assertIntact(VolumeStatus ready) throws Exception {
        harness.assertOnlyTheImageIsCachedIntact();
        assertThat(ready.imageSha256()).isEqualTo(harness.image().sha256());
        assertThat(harness.compareWithImage(Path.of(ready.devicePath()))).as("volume holds exactly the image").isZero();
    }

    private VolumeStatus status(String volume) {
        return harness.client().volumes().status(volume, VolumeStatus.class);
    }
}
