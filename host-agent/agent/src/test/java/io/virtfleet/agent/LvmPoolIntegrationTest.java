package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.fixtures.HostPrerequisites;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.StoragePool;

/**
 * The LVM path: a libvirt {@code logical} pool (a volume group on a loop device) driven by the same agent code as a
 * {@code dir} pool. Where the kernel has device-mapper the volume is populated as a block device (O_DIRECT); where it
 * has none (this project's CI machines) libvirt can define, build and start the pool but {@code lvcreate} fails, and
 * the test proves the agent reports that clearly and leaves nothing behind.
 */
class LvmPoolIntegrationTest {
    /** The kernel lists device-mapper here when it has it (the /dev/mapper/control node may exist regardless). */
    private static final Path MISC_DEVICES = Path.of("/proc/misc");

    @Test
    void populatesAVolumeInALogicalPoolOrSaysWhyItCannot(@TempDir Path dir) throws Exception {
        for (String tool : new String[] {"pvcreate", "vgcreate", "lvcreate", "losetup"}) {
            HostPrerequisites.require(HostPrerequisites.executableProblem(tool)
                    .map(problem -> tool + " is not on the PATH; install lvm2 (and util-linux)"));
        }
        String poolName = "vftest-lvm-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (AgentHarness harness = AgentHarness.start(dir, config -> config.allowedPools(poolName))) {
            Path backing = dir.resolve("pv.img");
            try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
                file.setLength(256L << 20);
            }
            String loop = run("losetup", "--find", "--show", backing.toString()).strip();
            StoragePool pool = null;
            try {
                pool = harness.sandbox().connect().storagePoolDefineXML("""
                        <pool type="logical">
                          <name>%s</name>
                          <source><device path="%s"/><name>%s</name><format type="lvm2"/></source>
                          <target><path>/dev/%s</path></target>
                        </pool>
                        """.formatted(poolName, loop, poolName, poolName), 0);
                pool.build(0);
                pool.create(0);
                String volume = harness.sandbox().name("lvm-root");

                AgentClient.Response overlay = harness.client().volumes().put(volume, new VolumeRequest(
                        AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, poolName, "t", null, null, null,
                        VolumeProvisioning.Overlay));
                assertThat(overlay.status()).as("thin snapshots in LVM are not built").isEqualTo(409);
                assertThat(overlay.error().reason()).isEqualTo(AgentErrorReasons.PROVISIONING_NOT_SUPPORTED);
                assertThat(overlay.error().message()).contains("logical", "dir");
                assertThat(pool.listVolumes()).isEmpty();

                harness.client().volumes().put(volume, new VolumeRequest(AgentHarness.IMAGE_URL, null,
                        AgentHarness.VOLUME_SIZE, poolName, "t"));
                VolumeStatus status = harness.awaitSettled(volume);

                if (Files.readString(MISC_DEVICES).contains("device-mapper")) {
                    assertThat(status.phase()).as("%s", status.error()).isEqualTo(VolumePhase.Ready);
                    assertThat(status.devicePath()).isEqualTo("/dev/" + poolName + "/" + volume);
                    assertThat(harness.compareWithImage(Path.of(status.devicePath()))).isZero();
                    assertThat(harness.client().volumes().delete(volume).status()).isEqualTo(204);
                } else {
                    assertThat(status.phase()).isEqualTo(VolumePhase.Failed);
                    assertThat(status.error().reason()).isEqualTo(AgentErrorReasons.LIBVIRT_ERROR);
                    assertThat(status.error().message()).contains("create volume " + poolName + "/" + volume, "device-mapper");
                    assertThat(pool.listVolumes()).isEmpty();
                }
            } finally {
                if (pool != null) {
                    for (String leftover : pool.listVolumes()) {
                        pool.storageVolLookupByName(leftover).delete(0);
                    }
                    pool.destroy();
                    pool.delete(0); // removes the volume group and the physical volume label
                    pool.undefine();
                }
                run("losetup", "--detach", loop);
            }
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
