package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CloneRequest;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.RestoreRequest;
import io.virtfleet.agent.contract.SnapshotList;
import io.virtfleet.agent.contract.SnapshotRequest;
import io.virtfleet.agent.contract.SnapshotStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.TestImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots, restores and clones over the HTTP API on the real libvirtd, in a {@code dir} pool on this machine's ext4
 * (no reflinks: full sparse copies). Digests are taken of the volume files themselves; the sentinel is written into
 * the volume file directly, as a guest would, while no domain uses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotIntegrationTest {
    private static final String VOLUME_OWNER = UUID.randomUUID().toString();
    private static final String SNAPSHOT_OWNER = UUID.randomUUID().toString();
    private static final String STRANGER = UUID.randomUUID().toString();
    private static final byte[] SENTINEL = "virtfleet-sentinel-after-snapshot".getBytes(StandardCharsets.US_ASCII);

    private AgentHarness harness;
    private AgentClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        harness = AgentHarness.start(dir, config -> config);
        client = harness.client();
    }

    @AfterAll
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRestoreBringsBackTheSnapshotsContentAndDeletionRemovesItsData() throws Exception {
        String volume = provisioned("restored");
        String snapshot = harness.sandbox().name("restored-snap");
        SnapshotStatus taken = snapshot(snapshot, volume, SNAPSHOT_OWNER);
        assertThat(taken.method()).isEqualTo("copy");
        assertThat(taken.sizeBytes()).isEqualTo(AgentHarness.VOLUME_SIZE);
        assertThat(taken.createdAt()).isNotBlank();
        Path volumeFile = volumeFile(volume);
        Path snapshotFile = Path.of(taken.devicePath());
        String snapshotDigest = TestImages.sha256(snapshotFile);
        assertThat(TestImages.sha256(volumeFile)).isEqualTo(snapshotDigest);
        assertThat(client.send("GET", AgentPaths.SNAPSHOTS, null).as(SnapshotList.class).snapshots())
                .extracting(SnapshotStatus::name).contains(snapshot);

        writeSentinel(volumeFile);
        assertThat(TestImages.sha256(volumeFile)).isNotEqualTo(snapshotDigest);

        AgentClient.Response restored = restore(volume, new RestoreRequest(snapshot, VOLUME_OWNER, SNAPSHOT_OWNER));
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.as(VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(TestImages.sha256(volumeFile)).isEqualTo(snapshotDigest);
        assertThat(contains(volumeFile, SENTINEL)).isFalse();
        assertThat(harness.compareWithImage(volumeFile)).isZero();

        AgentClient.Response deleteForStranger = delete(snapshot, STRANGER);
        assertThat(deleteForStranger.status()).isEqualTo(409);
        assertThat(deleteForStranger.error().reason()).isEqualTo(AgentErrorReasons.OWNED_BY_ANOTHER);
        assertThat(snapshotFile).isRegularFile();
        assertThat(delete(snapshot, SNAPSHOT_OWNER).status()).isEqualTo(204);
        assertThat(snapshotFile).doesNotExist();
        assertThat(client.send("GET", AgentPaths.snapshot(snapshot), null).status()).isEqualTo(404);
        assertThat(delete(snapshot, SNAPSHOT_OWNER).status()).as("absent is fine").isEqualTo(204);
    }

    @Test
    void clonesOfAVolumeAndOfASnapshotEqualTheirSourceByDigest() throws Exception {
        String volume = provisioned("origin");
        writeSentinel(volumeFile(volume));
        String snapshot = harness.sandbox().name("origin-snap");
        SnapshotStatus taken = snapshot(snapshot, volume, SNAPSHOT_OWNER);

        String fromVolume = harness.sandbox().name("clone-of-volume");
        AgentClient.Response cloned = clone(fromVolume, new CloneRequest(volume, null, VOLUME_OWNER, STRANGER));
        assertThat(cloned.status()).as(cloned.body()).isEqualTo(200);
        assertThat(TestImages.sha256(volumeFile(fromVolume))).isEqualTo(TestImages.sha256(volumeFile(volume)));
        assertThat(client.volumes().status(fromVolume, VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(clone(fromVolume, new CloneRequest(volume, null, VOLUME_OWNER, STRANGER)).status())
                .as("the same clone again is confirmed").isEqualTo(200);

        String fromSnapshot = harness.sandbox().name("clone-of-snapshot");
        writeSentinel(volumeFile(volume), 4L << 20); // the volume moves on; the snapshot does not
        assertThat(clone(fromSnapshot, new CloneRequest(null, snapshot, SNAPSHOT_OWNER, null)).status()).isEqualTo(200);
        assertThat(TestImages.sha256(volumeFile(fromSnapshot))).isEqualTo(TestImages.sha256(Path.of(taken.devicePath())));
        assertThat(TestImages.sha256(volumeFile(fromSnapshot))).isNotEqualTo(TestImages.sha256(volumeFile(volume)));

        AgentClient.Response ontoExisting = clone(fromSnapshot, new CloneRequest(volume, null, VOLUME_OWNER, null));
        assertThat(ontoExisting.status()).isEqualTo(409);
        assertThat(TestImages.sha256(volumeFile(fromSnapshot))).isEqualTo(TestImages.sha256(Path.of(taken.devicePath())));
    }

    @Test
    void anotherObjectsOrNamespacesVolumeOrSnapshotIsNeverASource() {
        String volume = provisioned("guarded");
        String snapshot = harness.sandbox().name("guarded-snap");
        snapshot(snapshot, volume, SNAPSHOT_OWNER);

        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("theft")),
                new SnapshotRequest(volume, STRANGER, STRANGER)), 409, AgentErrorReasons.OWNED_BY_ANOTHER);
        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("theft")),
                new SnapshotRequest(volume, null, STRANGER)), 409, AgentErrorReasons.OWNED_BY_ANOTHER);
        assertRefused(client.send("PUT", AgentPaths.snapshot("intruder.theft"),
                new SnapshotRequest(volume, VOLUME_OWNER, null)), 409, AgentErrorReasons.CROSS_NAMESPACE);
        assertRefused(clone("intruder.copy", new CloneRequest(volume, null, VOLUME_OWNER, null)), 409,
                AgentErrorReasons.CROSS_NAMESPACE);
        assertRefused(clone("intruder.copy", new CloneRequest(null, snapshot, SNAPSHOT_OWNER, null)), 409,
                AgentErrorReasons.CROSS_NAMESPACE);
        assertRefused(clone(harness.sandbox().name("copy"), new CloneRequest(null, snapshot, STRANGER, null)), 409,
                AgentErrorReasons.OWNED_BY_ANOTHER);
        assertRefused(restore(volume, new RestoreRequest(snapshot, VOLUME_OWNER, STRANGER)), 409,
                AgentErrorReasons.OWNED_BY_ANOTHER);
        assertRefused(restore(volume, new RestoreRequest(snapshot, STRANGER, SNAPSHOT_OWNER)), 409,
                AgentErrorReasons.OWNED_BY_ANOTHER);
        String other = provisioned("other");
        assertRefused(restore(other, new RestoreRequest(snapshot, VOLUME_OWNER, SNAPSHOT_OWNER)), 409,
                AgentErrorReasons.INVALID_REQUEST);

        // names that try to leave the pool or the state directory, in the path and in bodies
        assertThat(client.send("PUT", AgentPaths.SNAPSHOTS + "/..%2F..%2Fetc%2Fpasswd",
                new SnapshotRequest(volume, VOLUME_OWNER, null)).status()).isIn(400, 404);
        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("x")),
                new SnapshotRequest("../../etc/passwd", VOLUME_OWNER, null)), 400, AgentErrorReasons.INVALID_REQUEST);
        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("x_snapshot")),
                new SnapshotRequest(volume, VOLUME_OWNER, null)), 400, AgentErrorReasons.INVALID_REQUEST);
        assertRefused(clone(harness.sandbox().name("y"), new CloneRequest(null, "/" + snapshot, null, null)), 400,
                AgentErrorReasons.INVALID_REQUEST);
        assertRefused(clone(harness.sandbox().name("y"), new CloneRequest(volume, snapshot, VOLUME_OWNER, null)), 400,
                AgentErrorReasons.INVALID_REQUEST);
        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("x")),
                Map.of("volume", volume, "path", "/etc")), 400, AgentErrorReasons.INVALID_REQUEST);
        assertThat(client.send("GET", AgentPaths.snapshot("intruder.theft"), null).status()).isEqualTo(404);
    }

    @Test
    void aRestoreIsRefusedWhileARunningDomainUsesTheVolumeAndASnapshotPausesIt() throws Exception {
        String volume = provisioned("busy");
        String domain = harness.sandbox().name("busy-vm");
        AgentClient.Response started = client.domains().put(domain, new DomainRequest(1, 64L << 20, volume, true));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.as(DomainStatus.class).phase()).isEqualTo(DomainPhase.Running);

        String snapshot = harness.sandbox().name("busy-snap");
        SnapshotStatus online = snapshot(snapshot, volume, SNAPSHOT_OWNER);
        assertThat(online.sizeBytes()).isEqualTo(AgentHarness.VOLUME_SIZE);
        assertThat(client.domains().status(domain, DomainStatus.class).phase()).as("resumed after the copy")
                .isEqualTo(DomainPhase.Running);

        String before = TestImages.sha256(volumeFile(volume));
        assertRefused(restore(volume, new RestoreRequest(snapshot, VOLUME_OWNER, SNAPSHOT_OWNER)), 409,
                AgentErrorReasons.VOLUME_IN_USE);
        assertThat(TestImages.sha256(volumeFile(volume))).as("nothing changed").isEqualTo(before);
        assertThat(client.volumes().status(volume, VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);

        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(restore(volume, new RestoreRequest(snapshot, VOLUME_OWNER, SNAPSHOT_OWNER)).status()).isEqualTo(200);
    }

    @Test
    void anOverlayVolumeIsRefusedWithNothingChanged() {
        String overlay = harness.sandbox().name("layered");
        harness.provision(overlay, new VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, null,
                "t", null, null, VOLUME_OWNER, VolumeProvisioning.Overlay));
        assertRefused(client.send("PUT", AgentPaths.snapshot(harness.sandbox().name("layered-snap")),
                new SnapshotRequest(overlay, VOLUME_OWNER, SNAPSHOT_OWNER)), 409, AgentErrorReasons.SNAPSHOT_NOT_SUPPORTED);
        assertRefused(clone(harness.sandbox().name("layered-copy"), new CloneRequest(overlay, null, VOLUME_OWNER, null)),
                409, AgentErrorReasons.SNAPSHOT_NOT_SUPPORTED);
        assertThat(client.send("GET", AgentPaths.snapshot(harness.sandbox().name("layered-snap")), null).status())
                .isEqualTo(404);
        assertThat(client.volumes().get(harness.sandbox().name("layered-copy")).status()).isEqualTo(404);
    }

    private String provisioned(String suffix) {
        String volume = harness.sandbox().name(suffix);
        harness.provision(volume, new VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, null,
                "t", null, null, VOLUME_OWNER));
        return volume;
    }

    private SnapshotStatus snapshot(String name, String volume, String ownerUid) {
        AgentClient.Response taken = client.send("PUT", AgentPaths.snapshot(name),
                new SnapshotRequest(volume, VOLUME_OWNER, ownerUid));
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        return taken.as(SnapshotStatus.class);
    }

    private AgentClient.Response restore(String volume, RestoreRequest request) {
        return client.send("POST", AgentPaths.volumeRestore(volume), request);
    }

    private AgentClient.Response clone(String volume, CloneRequest request) {
        return client.send("PUT", AgentPaths.volumeClone(volume), request);
    }

    private AgentClient.Response delete(String snapshot, String ownerUid) {
        return client.send("DELETE", AgentPaths.snapshot(snapshot) + "?" + AgentPaths.OWNER_UID + "=" + ownerUid, null);
    }

    private Path volumeFile(String volume) {
        return Path.of(client.volumes().status(volume, VolumeStatus.class).devicePath());
    }

    private static void assertRefused(AgentClient.Response response, int status, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.error().reason()).isEqualTo(reason);
    }

    private static void writeSentinel(Path volumeFile) throws IOException {
        writeSentinel(volumeFile, 1L << 20);
    }

    private static void writeSentinel(Path volumeFile, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(volumeFile, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(SENTINEL), offset);
            channel.force(true);
        }
    }

    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] content = java.nio.file.Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= content.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
