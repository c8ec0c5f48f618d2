package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestore;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.status.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * VirtualMachineSnapshot and VirtualMachineRestore through the operator on the mock API, with the real agent whose
 * volumes live in a {@code dir} pool of the real libvirtd (its domains on libvirt's test driver: a "running" domain
 * there holds the volume as a real one would, without a guest). The sentinel is written into the volume file while the
 * VM is stopped, as a guest would have written it.
 */
class SnapshotApiTest extends SnapshotApiTests {
    private static final byte[] SENTINEL = "virtfleet-sentinel".getBytes(StandardCharsets.US_ASCII);

    @Test
    void snapshotSentinelRestoreBringsTheSnapshotBackAndARunningVmIsNeverRestored() throws Exception {
        VirtualMachine vm = runningVm("api-snap");
        VirtualMachineSnapshot snapshot = awaitStatus(client.resource(snapshot("api-snap-1", "api-snap")).create(),
                s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
        assertThat(snapshot.getStatus().getPhase()).isEqualTo(SnapshotPhase.Succeeded);
        assertThat(snapshot.getStatus().getNodeName()).isEqualTo(LocalStack.NODE_NAME);
        assertThat(snapshot.getStatus().getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getRootVolume()).isEqualTo("api-snap-root");
            assertThat(v.getSizeBytes()).isEqualTo(64L << 20);
            assertThat(v.getCreationTime()).isNotBlank();
            assertThat(v.getMethod()).isEqualTo("copy");
        });
        assertThat(snapshot.getMetadata().getFinalizers()).isNotEmpty();
        Path snapshotFile = Path.of(stack.agent().getSnapshot(AgentNames.of(snapshot)).orElseThrow().devicePath());
        Path volumeFile = volumeFile("api-snap-root");
        String snapshotDigest = TestImages.sha256(snapshotFile);
        assertThat(TestImages.sha256(volumeFile)).isEqualTo(snapshotDigest);

        VirtualMachineRestore whileRunning = awaitStatus(client.resource(restore("api-snap-early", "api-snap",
                "api-snap-1")).create(), r -> Reason.VIRTUAL_MACHINE_NOT_STOPPED.equals(ready(r).getReason()));
        assertThat(whileRunning.getStatus().getPhase()).isEqualTo(SnapshotPhase.Pending);
        assertThat(whileRunning.getStatus().getComplete()).isNull();
        assertThat(ready(whileRunning).getMessage()).contains("runStrategy Always", "Nothing was changed");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.events(whileRunning))
                .anySatisfy(e -> assertThat(e.getType() + " " + e.getReason())
                        .isEqualTo("Warning " + Reason.VIRTUAL_MACHINE_NOT_STOPPED)));
        client.resource(whileRunning).delete();

        halt(vm);
        writeSentinel(volumeFile);
        assertThat(TestImages.sha256(volumeFile)).isNotEqualTo(snapshotDigest);

        VirtualMachineRestore done = awaitStatus(client.resource(restore("api-snap-back", "api-snap", "api-snap-1"))
                .create(), r -> Boolean.TRUE.equals(r.getStatus().getComplete()));
        assertThat(done.getStatus().getPhase()).isEqualTo(SnapshotPhase.Succeeded);
        assertThat(done.getStatus().getRestoreTime()).isNotBlank();
        assertThat(TestImages.sha256(volumeFile)).isEqualTo(snapshotDigest);
        assertThat(new String(Files.readAllBytes(volumeFile), StandardCharsets.US_ASCII)).doesNotContain("virtfleet-sentinel");

        client.resource(snapshot).delete();
        await().atMost(TIMEOUT).until(() -> client.resource(snapshot).get() == null);
        assertThat(snapshotFile).doesNotExist();
        assertThat(stack.agent().getSnapshot(AgentNames.of(snapshot))).isEmpty();
    }

    @Test
    void aRestoreNeverCrossesToAnotherVmOrNamespace() throws Exception {
        runningVm("api-snap-a");
        runningVm("api-snap-b");
        awaitStatus(client.resource(snapshot("api-snap-a-1", "api-snap-a")).create(),
                s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));

        VirtualMachineRestore intoB = awaitStatus(client.resource(restore("api-snap-a-into-b", "api-snap-b",
                "api-snap-a-1")).create(), r -> r.getStatus().getPhase() == SnapshotPhase.Failed);
        assertThat(ready(intoB).getReason()).isEqualTo(Reason.SNAPSHOT_OF_ANOTHER_VM);

        VirtualMachineSnapshot foreign = snapshot("api-snap-foreign", "api-snap-a");
        foreign.getMetadata().setNamespace("intruder");
        VirtualMachineSnapshot waiting = awaitStatus(client.resource(foreign).create(),
                s -> Reason.VIRTUAL_MACHINE_NOT_FOUND.equals(ready(s).getReason()));
        assertThat(waiting.getStatus().getReadyToUse()).isFalse();
        VirtualMachineRestore foreignRestore = restore("api-snap-foreign-r", "api-snap-a", "api-snap-a-1");
        foreignRestore.getMetadata().setNamespace("intruder");
        assertThat(ready(awaitStatus(client.resource(foreignRestore).create(),
                r -> ready(r).getReason() != null)).getReason()).isEqualTo(Reason.SNAPSHOT_NOT_READY);
        assertThat(stack.agent().getSnapshot(AgentNames.of(waiting))).isEmpty();
    }

    private static void writeSentinel(Path volumeFile) throws IOException {
        try (FileChannel channel = FileChannel.open(volumeFile, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(SENTINEL), 1L << 20);
            channel.force(true);
        }
    }
}
