package io.virtfleet.agent;

import io.virtfleet.fixtures.Sentinels;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * No disk a guest gets shows bytes of a disk that was there before (on the real libvirtd, a {@code dir} pool: new
 * volumes are sparse files), and a domain's data disk can never be another object's volume whose name looks like it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshDisksIntegrationTest {
    private static final byte[] SENTINEL = "VF-SENTINEL-OLD-TENANT-DATA".getBytes(StandardCharsets.US_ASCII);
    private static final long DATA_DISK_BYTES = 8L << 20;

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
    void aNewVolumeOfADeletedOnesNameAndSizeHoldsNoneOfItsBytes() throws Exception {
        String volume = harness.sandbox().name("reused");
        Path device = Path.of(harness.provision(volume, "t").devicePath());
        // head (inside the image), middle, and the tail past the image's virtual size
        long[] offsets = {0, AgentHarness.VOLUME_SIZE / 2, AgentHarness.VOLUME_SIZE - 4096};
        writeSentinel(device, offsets);
        assertThat(Sentinels.countAligned(device, SENTINEL)).isEqualTo(offsets.length);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);

        VolumeStatus again = harness.provision(volume, "t");

        assertThat(Path.of(again.devicePath())).isEqualTo(device);
        assertThat(Sentinels.countAligned(device, SENTINEL)).isZero();
        assertThat(harness.compareWithImage(device)).as("image, then zeros to the end").isZero();
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void aNewDataDiskOfADeletedDomainsNameHoldsNoneOfItsBytes() throws Exception {
        String root = harness.sandbox().name("disk-root");
        String domain = harness.sandbox().name("disk");
        harness.provision(root, "t");
        assertThat(client.domains().put(domain, withDataDisk(root)).status()).isEqualTo(200);
        Path disk = harness.config().poolPath().resolve(domain + "_vdb");
        writeSentinel(disk, 0, DATA_DISK_BYTES - 4096);
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(disk).doesNotExist();

        assertThat(client.domains().put(domain, withDataDisk(root)).status()).isEqualTo(200);

        assertThat(disk).isRegularFile().hasSize(DATA_DISK_BYTES);
        assertThat(allZeros(disk)).isTrue();
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(client.volumes().delete(root).status()).isEqualTo(204);
    }

    @Test
    void deletingADomainLeavesAVolumeNamedLikeItsDataDiskAlone() throws Exception {
        String root = harness.sandbox().name("web-root");
        String lookalike = harness.sandbox().name("web-vdb"); // a RootVolume "web-vdb" next to a VM "web"
        String domain = harness.sandbox().name("web");
        harness.provision(root, "t");
        Path lookalikeDevice = Path.of(harness.provision(lookalike, "t").devicePath());
        writeSentinel(lookalikeDevice, AgentHarness.VOLUME_SIZE - 4096);

        assertThat(client.domains().put(domain, withDataDisk(root)).status()).isEqualTo(200);
        Path dataDisk = harness.config().poolPath().resolve(domain + "_vdb");
        assertThat(dataDisk).isNotEqualTo(lookalikeDevice).isRegularFile();
        assertThat(allZeros(dataDisk)).isTrue();
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);

        assertThat(dataDisk).doesNotExist();
        assertThat(client.volumes().status(lookalike, VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(Sentinels.countAligned(lookalikeDevice, SENTINEL)).isEqualTo(1);
        assertThat(client.volumes().delete(lookalike).status()).isEqualTo(204);
        assertThat(client.volumes().delete(root).status()).isEqualTo(204);
    }

    @Test
    void aDataDiskAnEarlierAgentNamedStaysAttachedAndIsNeverDeleted() throws Exception {
        String root = harness.sandbox().name("old-root");
        String domain = harness.sandbox().name("old");
        harness.provision(root, "t");
        assertThat(client.domains().put(domain, withDataDisk(root)).status()).isEqualTo(200);
        // what an earlier agent left: the data disk named <domain>-vdb, and the definition using it
        String pool = harness.sandbox().poolName();
        org.libvirt.StoragePool libvirtPool = harness.sandbox().connect().storagePoolLookupByName(pool);
        libvirtPool.storageVolLookupByName(domain + "_vdb").delete(0);
        libvirtPool.storageVolCreateXML("<volume><name>" + domain + "-vdb</name><capacity>" + DATA_DISK_BYTES
                + "</capacity><target><format type='raw'/></target></volume>", 0);
        String definition = harness.sandbox().connect().domainLookupByName(domain).getXMLDesc(0)
                .replace(domain + "_vdb", domain + "-vdb");
        harness.sandbox().connect().domainDefineXML(definition);
        Path legacy = harness.config().poolPath().resolve(domain + "-vdb");
        writeSentinel(legacy, 0);

        assertThat(client.domains().put(domain, withDataDisk(root)).status()).isEqualTo(200);

        assertThat(io.virtfleet.agent.libvirt.LibvirtXml.parse(harness.sandbox().connect().domainLookupByName(domain)
                .getXMLDesc(0)).values("/domain/devices/disk/source/@volume")).containsExactly(root, domain + "-vdb");
        assertThat(harness.config().poolPath().resolve(domain + "_vdb")).doesNotExist();
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
        assertThat(Sentinels.countAligned(legacy, SENTINEL)).as("left as it was").isEqualTo(1);
        libvirtPool.storageVolLookupByName(domain + "-vdb").delete(0);
        assertThat(client.volumes().delete(root).status()).isEqualTo(204);
    }

    private static DomainRequest withDataDisk(String root) {
        return new DomainRequest(1, 64L << 20, root, false, null, null,
                List.of(new DomainRequest.DataDisk("vdb", DATA_DISK_BYTES)), List.of(), null, false, null, false);
    }

    private static void writeSentinel(Path file, long... offsets) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long offset : offsets) {
                raf.seek(offset);
                raf.write(SENTINEL);
            }
            raf.getFD().sync();
        }
    }


    private static boolean allZeros(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(1 << 20);
        byte[] zeros = new byte[1 << 20];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                block.clear();
                int read = channel.read(block);
                if (read < 0) {
                    return true;
                }
                if (!Arrays.equals(block.array(), 0, read, zeros, 0, read)) {
                    return false;
                }
            }
        }
    }
}
