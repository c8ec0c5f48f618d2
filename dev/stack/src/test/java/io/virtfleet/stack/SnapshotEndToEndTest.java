package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.CloneSource;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineReference;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestore;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestoreSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshotSpec;
import io.virtfleet.fixtures.TestImages;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Reason;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Snapshot, restore and clone through the operator (mock API) on the real agent, the real libvirtd and a real QEMU
 * (TCG) domain: the snapshot of the running VM pauses its domain for the copy and leaves it running; a restore is
 * refused while the domain runs; halted, a sentinel written into the volume is gone after the restore and the digest
 * equals the snapshot's; a clone of the snapshot equals it; the VM boots again from the restored volume; deleting the
 * snapshot removes its file. One QEMU domain (the sample image boots no OS; the domain runs all the same).
 */
class SnapshotEndToEndTest extends OneNodeEndToEndTests {
    @Override
    String poolPrefix() {
        return "vf-snap-";
    }

    @Test
    void snapshotOfARunningVmSentinelRestoreAndCloneOnRealQemu() throws Exception {
        Fleet fleet = node.fleet("snap");
        fleet.createVm("web01", Fleet.volumeSpec("64Mi"), null);
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        String domain = fleet.namespace() + ".web01";
        assertThat(host.domain(domain).orElseThrow().active()).isTrue();
        Path volumeFile = Path.of(fleet.volume("web01-root").getStatus().getDevicePath());

        VirtualMachineSnapshot snapshot = client.resource(snapshot(fleet.namespace())).create();
        VirtualMachineSnapshot taken = await().atMost(Fleet.TIMEOUT).until(() -> client.resource(snapshot).get(),
                s -> s.getStatus() != null && Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
        assertThat(taken.getStatus().getVolumes()).singleElement()
                .satisfies(v -> assertThat(v.getSizeBytes()).isEqualTo(64L << 20));
        assertThat(host.domain(domain).orElseThrow().active()).as("resumed after the copy").isTrue();
        Path snapshotFile = host.volumeFile(fleet.namespace() + ".web01-before_snapshot");
        String snapshotDigest = TestImages.sha256(snapshotFile);

        VirtualMachineRestore early = client.resource(restore(fleet.namespace(), "early")).create();
        await().atMost(Fleet.TIMEOUT).until(() -> client.resource(early).get(), r -> r.getStatus() != null
                && Conditions.find(r.getStatus(), ConditionType.Ready)
                .map(c -> Reason.VIRTUAL_MACHINE_NOT_STOPPED.equals(c.getReason())).orElse(false));
        assertThat(host.domain(domain).orElseThrow().active()).isTrue();
        client.resource(early).delete();

        fleet.setRunStrategy("web01", RunStrategy.Halted);
        fleet.awaitPhase("web01", VirtualMachinePhase.Stopped);
        try (RandomAccessFile disk = new RandomAccessFile(volumeFile.toFile(), "rw")) {
            disk.seek(1L << 20);
            disk.write("virtfleet-sentinel".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(TestImages.sha256(volumeFile)).isNotEqualTo(snapshotDigest);

        VirtualMachineRestore back = client.resource(restore(fleet.namespace(), "back")).create();
        VirtualMachineRestore done = await().atMost(Fleet.TIMEOUT).until(() -> client.resource(back).get(),
                r -> r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().getComplete()));
        assertThat(done.getStatus().getPhase()).isEqualTo(SnapshotPhase.Succeeded);
        assertThat(TestImages.sha256(volumeFile)).isEqualTo(snapshotDigest);
        assertThat(new String(Files.readAllBytes(volumeFile), StandardCharsets.US_ASCII))
                .doesNotContain("virtfleet-sentinel");

        RootVolumeSpec cloneSpec = new RootVolumeSpec();
        cloneSpec.setSource(CloneSource.ofSnapshot("web01-before"));
        cloneSpec.setSize(new Quantity("64Mi"));
        fleet.createVolume("web02-root", cloneSpec);
        RootVolume clone = await().atMost(Fleet.TIMEOUT).until(() -> fleet.volume("web02-root"),
                v -> v.getStatus() != null && v.getStatus().getPhase() == RootVolumePhase.Ready);
        assertThat(TestImages.sha256(Path.of(clone.getStatus().getDevicePath()))).isEqualTo(snapshotDigest);

        fleet.setRunStrategy("web01", RunStrategy.Always);
        fleet.awaitPhase("web01", VirtualMachinePhase.Running);
        assertThat(host.domain(domain).orElseThrow().active()).as("boots from the restored volume").isTrue();

        client.resource(snapshot).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> client.resource(snapshot).get() == null);
        assertThat(snapshotFile).doesNotExist();
    }

    private static VirtualMachineSnapshot snapshot(String namespace) {
        VirtualMachineSnapshot snapshot = new VirtualMachineSnapshot();
        snapshot.getMetadata().setName("web01-before");
        snapshot.getMetadata().setNamespace(namespace);
        snapshot.setSpec(new VirtualMachineSnapshotSpec(new VirtualMachineReference("web01")));
        return snapshot;
    }

    private static VirtualMachineRestore restore(String namespace, String name) {
        VirtualMachineRestoreSpec spec = new VirtualMachineRestoreSpec();
        spec.setTarget(new VirtualMachineReference("web01"));
        spec.setVirtualMachineSnapshotName("web01-before");
        VirtualMachineRestore restore = new VirtualMachineRestore();
        restore.getMetadata().setName(name);
        restore.getMetadata().setNamespace(namespace);
        restore.setSpec(spec);
        return restore;
    }
}
