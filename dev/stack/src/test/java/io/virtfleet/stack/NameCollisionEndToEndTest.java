package io.virtfleet.stack;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.virtfleet.crds.v1alpha1.DataDisk;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.Sentinels;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.operator.OperatorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A RootVolume and a VM's data disk whose agent-side names used to be the same ({@code <ns>.web-vdb}): through the
 * operator (mock Kubernetes API), a real agent and the real libvirtd, halting and deleting VM {@code web} leaves
 * RootVolume {@code web-vdb} and its bytes alone, and the data disk the VM got holds none of them.
 */
class NameCollisionEndToEndTest {
    private static final String NODE = "hv-1";
    private static final byte[] SENTINEL = "VF-SENTINEL-ROOTVOLUME-WEB-VDB".getBytes(StandardCharsets.US_ASCII);
    private static final long DATA_DISK_BYTES = 16L << 20;

    @TempDir
    Path work;

    private LocalStack stack;
    private KubernetesClient client;
    private NodeContents host;
    private Fleet fleet;

    @BeforeEach
    void startOneNode() {
        HostPrerequisites.requireLibvirt();
        HostPrerequisites.requireQemuImg();
        stack = LocalStack.start(new LocalStack.Options(work, HostPrerequisites.LIBVIRT_URI, "qemu",
                "vf-names-" + UUID.randomUUID().toString().substring(0, 8), Map.of(NODE, Map.of()),
                OperatorSettings.defaults()));
        client = stack.kubernetes().client();
        host = new NodeContents(stack.node(NODE));
        fleet = new Fleet(client, "nc" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
            host.removeDomains(fleet.namespace() + ".");
            LibvirtPools.remove(stack.node(NODE).poolName());
        }
    }

    @Test
    void haltingAndDeletingVmWebLeavesRootVolumeWebVdbAndItsBytesIntact() throws Exception {
        fleet.createVolume("web-vdb", Fleet.volumeSpec("64Mi"));
        RootVolume lookalike = fleet.awaitVolumeReady("web-vdb");
        Path lookalikeDevice = Path.of(lookalike.getStatus().getDevicePath());
        long sentinelAt = (64L << 20) - 4096; // past the image's data, as a guest's own writes would be
        try (RandomAccessFile disk = new RandomAccessFile(lookalikeDevice.toFile(), "rw")) {
            disk.seek(sentinelAt);
            disk.write(SENTINEL);
            disk.getFD().sync();
        }

        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "web", Fleet.volumeSpec("64Mi"), null);
        DataDisk vdb = new DataDisk();
        vdb.setDevice("vdb");
        vdb.setSize(new Quantity(DATA_DISK_BYTES + ""));
        vm.getSpec().setDataDisks(List.of(vdb));
        client.resource(vm).create();
        fleet.awaitPhase("web", VirtualMachinePhase.Running);

        String domain = fleet.namespace() + ".web";
        Path dataDisk = host.volumeFile(domain + "_vdb");
        assertThat(dataDisk).isNotEqualTo(lookalikeDevice).isRegularFile().hasSize(DATA_DISK_BYTES);
        assertThat(host.domain(domain).orElseThrow().xml().values("/domain/devices/disk/source/@volume"))
                .contains(domain + "_vdb").doesNotContain(fleet.namespace() + ".web-vdb");
        assertThat(Sentinels.countAligned(dataDisk, SENTINEL)).as("the data disk reads zeros").isZero();

        fleet.setRunStrategy("web", RunStrategy.Halted);
        fleet.awaitPhase("web", VirtualMachinePhase.Stopped);
        assertLookalikeIntact(lookalikeDevice, sentinelAt);

        client.resource(fleet.vm("web")).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.vm("web") == null && fleet.volume("web-root") == null);
        assertThat(host.domain(domain)).as("domain undefined").isEmpty();
        assertThat(dataDisk).as("the VM's own data disk is gone").doesNotExist();
        assertLookalikeIntact(lookalikeDevice, sentinelAt);

        client.resource(fleet.volume("web-vdb")).delete();
        await().atMost(Fleet.TIMEOUT).until(() -> fleet.volume("web-vdb") == null);
        assertThat(host.leftovers(fleet.namespace() + ".")).isEmpty();
    }

    private void assertLookalikeIntact(Path device, long sentinelAt) throws Exception {
        assertThat(fleet.volume("web-vdb").getStatus().getPhase()).isEqualTo(RootVolumePhase.Ready);
        assertThat(device).isRegularFile();
        byte[] found = new byte[SENTINEL.length];
        try (RandomAccessFile disk = new RandomAccessFile(device.toFile(), "r")) {
            disk.seek(sentinelAt);
            disk.readFully(found);
        }
        assertThat(found).as("RootVolume web-vdb keeps its bytes").isEqualTo(SENTINEL);
        assertThat(stack.sampleImage().compareWith(device)).as("qemu-img compare: differs from the image (the sentinel)").isEqualTo(1);
    }

}
