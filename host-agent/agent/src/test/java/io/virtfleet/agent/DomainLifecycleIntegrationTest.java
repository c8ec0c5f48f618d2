package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.fixtures.TestBridge;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;

/**
 * The whole life of a domain on the real libvirtd: UEFI with NVRAM, a data disk, a NIC on a real bridge, a seed,
 * VNC; graceful stop, hardware change, suspend/resume, reprovisioning of its root volume, and deletion that leaves
 * nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainLifecycleIntegrationTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Allowed, but no such pool exists. */
    private static final String MISSING_POOL = "vftest-no-such-pool";

    private AgentHarness harness;
    private AgentClient client;
    private TestBridge bridge;
    private Path bootDir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        bridge = TestBridge.create();
        bootDir = Files.createDirectories(dir.resolve("boot"));
        harness = AgentHarness.start(dir, config -> config.shutdownTimeout(Duration.ofSeconds(2))
                .allowedBridges(bridge.name(), "vfnone-0000").kernelBootDirs(bootDir).allowedPools(MISSING_POOL));
        client = harness.client();
    }

    @AfterAll
    void stop() throws LibvirtException {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    @Test
    void createRunStopStartReprovisionAndDestroyLeavesNothingBehind() throws Exception {
        String volume = harness.sandbox().name("life-root");
        String domain = harness.sandbox().name("life");
        VolumeStatus root = harness.provision(volume, "token-1");

        DomainStatus running = put(domain, request(volume, 1, true));
        assertThat(running.phase()).isEqualTo(DomainPhase.Running);
        assertThat(running.vncAddress()).as("VNC on a UNIX socket in the agent's console directory, no TCP port")
                .startsWith("unix:" + harness.config().stateDir().resolve("consoles")).endsWith(".vnc");
        assertThat(running.instanceId()).isEqualTo(domain + "-token-1");
        assertThat(running.restartRequired()).isFalse();
        LibvirtXml.Parsed xml = LibvirtXml.parse(harness.sandbox().connect().domainLookupByName(domain).getXMLDesc(0));
        Path nvram = Path.of(xml.value("/domain/os/nvram").orElseThrow());
        assertThat(nvram).isRegularFile();
        assertThat(xml.value("/domain/os/loader")).hasValueSatisfying(loader -> assertThat(Path.of(loader)).isRegularFile());
        assertThat(xml.value("/domain/devices/interface/mac/@address")).contains("be:ef:0a:00:00:05");
        assertThat(xml.value("/domain/devices/interface/source/@bridge")).contains(bridge.name());
        assertThat(harness.sandbox().connect().domainLookupByName(domain).getAutostart()).isTrue();
        Path dataDisk = Path.of(harness.config().poolPath().toString(), domain + "_vdb");
        assertThat(dataDisk).isRegularFile().hasSize(16L << 20);
        Path seed = harness.config().stateDir().resolve("seeds").resolve(domain + ".iso");
        assertThat(seed).isRegularFile();

        // hardware change while running: redefined, applied at the next start
        DomainStatus changed = put(domain, request(volume, 2, true));
        assertThat(changed.restartRequired()).isTrue();

        assertThat(post(AgentPaths.domainSuspend(domain)).phase()).isEqualTo(DomainPhase.Paused);
        assertThat(post(AgentPaths.domainResume(domain)).phase()).isEqualTo(DomainPhase.Running);

        AgentClient.Response busy = client.volumes().put(volume, AgentHarness.volumeRequest("token-2"));
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.error().reason()).isEqualTo(AgentErrorReasons.VOLUME_IN_USE);
        assertThat(busy.error().message()).contains(domain);

        // graceful stop: ACPI shutdown, destroy after the timeout (the firmware has no OS to obey it)
        AgentClient.Response stopping = client.domains().put(domain, request(volume, 2, false));
        assertThat(stopping.status()).isIn(200, 202);
        awaitPhase(domain, DomainPhase.Stopped);
        DomainStatus restarted = put(domain, request(volume, 2, true));
        assertThat(restarted.restartRequired()).isFalse();
        assertThat(harness.sandbox().connect().domainLookupByName(domain).getInfo().nrVirtCpu).isEqualTo(2);
        client.domains().put(domain, request(volume, 2, false));
        awaitPhase(domain, DomainPhase.Stopped);
        AgentClient.Response notRunning = client.send("POST", AgentPaths.domainSuspend(domain), null);
        assertThat(notRunning.status()).isEqualTo(409);
        assertThat(notRunning.error().reason()).isEqualTo(AgentErrorReasons.INVALID_STATE);

        // reprovision: the guest's writes are gone, the seed gets a new instance-id
        try (RandomAccessFile disk = new RandomAccessFile(root.devicePath(), "rw")) {
            disk.write("written by the guest".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(harness.compareWithImage(Path.of(root.devicePath()))).isNotZero();
        VolumeStatus reprovisioned = harness.provision(volume, "token-2");
        assertThat(reprovisioned.populatedToken()).isEqualTo("token-2");
        assertThat(harness.compareWithImage(Path.of(root.devicePath()))).as("qemu-img compare").isZero();
        DomainStatus again = put(domain, request(volume, 2, true));
        assertThat(again.instanceId()).isEqualTo(domain + "-token-2");
        assertThat(new String(Files.readAllBytes(seed), StandardCharsets.ISO_8859_1)).contains("instance-id: " + domain + "-token-2");

        // deletion of a running domain: ACPI shutdown first, destroy only after the timeout (this guest has no OS to
        // obey it), then undefine and remove; the DELETE answers 202 meanwhile and the removal ends by itself
        long deleteAsked = System.nanoTime();
        AgentClient.Response shuttingDown = client.domains().delete(domain);
        assertThat(shuttingDown.status()).as(shuttingDown.body()).isEqualTo(202);
        assertThat(shuttingDown.as(DomainStatus.class).phase()).isEqualTo(DomainPhase.Running);
        assertThat(harness.sandbox().connect().domainLookupByName(domain).isActive()).as("asked, not destroyed").isEqualTo(1);
        await().atMost(SETTLE).until(() -> client.domains().get(domain).status() == 404);
        Duration untilGone = Duration.ofNanos(System.nanoTime() - deleteAsked);
        assertThat(untilGone).as("the guest had its shutdown timeout").isGreaterThanOrEqualTo(harness.config().shutdownTimeout());
        assertThat(client.domains().delete(domain).status()).isEqualTo(204);
        assertThat(nvram).doesNotExist();
        assertThat(dataDisk).doesNotExist();
        assertThat(seed).doesNotExist();
        assertThat(harness.sandbox().connect().storagePoolLookupByName(harness.sandbox().poolName()).listVolumes())
                .containsExactly(volume);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
        assertThat(Path.of(root.devicePath())).doesNotExist();
    }

    @Test
    void growsAReadyVolumeAndRefusesToShrinkIt() throws LibvirtException {
        String volume = harness.sandbox().name("grow");
        harness.provision(volume, "t");
        long bigger = AgentHarness.VOLUME_SIZE * 2;

        AgentClient.Response grown = client.volumes().put(volume,
                new io.virtfleet.agent.contract.VolumeRequest(AgentHarness.IMAGE_URL, null, bigger, null, "t"));
        assertThat(grown.status()).isEqualTo(200);
        assertThat(grown.as(VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(harness.sandbox().connect().storagePoolLookupByName(harness.sandbox().poolName())
                .storageVolLookupByName(volume).getInfo().capacity).isEqualTo(bigger);

        AgentClient.Response shrink = client.volumes().put(volume, AgentHarness.volumeRequest("t"));
        assertThat(shrink.status()).isEqualTo(409);
        assertThat(shrink.error().reason()).isEqualTo(AgentErrorReasons.SHRINK_REFUSED);
        assertThat(shrink.error().message()).contains(String.valueOf(bigger), "only grow");
        assertThat(client.volumes().status(volume, VolumeStatus.class).phase()).isEqualTo(VolumePhase.Ready);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void aMissingBridgeIsRefusedBeforeAnythingIsCreated() {
        String volume = harness.sandbox().name("nobridge-root");
        String domain = harness.sandbox().name("nobridge");
        harness.provision(volume, "t");
        DomainRequest template = request(volume, 1, true);
        DomainRequest missingBridge = new DomainRequest(1, 64L << 20, volume, true, null, null, template.dataDisks(),
                List.of(new DomainRequest.Nic("vfnone-0000", null)), template.cloudInit(), false, null, false);

        AgentClient.Response refused = client.domains().put(domain, missingBridge);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.BRIDGE_NOT_FOUND);
        assertThat(refused.error().message()).contains("vfnone-0000");
        assertThat(client.domains().get(domain).status()).isEqualTo(404);
        assertThat(harness.config().poolPath().resolve(domain + "_vdb")).doesNotExist();
        assertThat(harness.config().stateDir().resolve("seeds").resolve(domain + ".iso")).doesNotExist();
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    @Test
    void aMissingPoolOrKernelIsAClearConflict() {
        AgentClient.Response noPool = client.volumes().put(harness.sandbox().name("nopool"),
                new io.virtfleet.agent.contract.VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE,
                        MISSING_POOL, "t"));
        assertThat(noPool.status()).isEqualTo(409);
        assertThat(noPool.error().reason()).isEqualTo(AgentErrorReasons.POOL_NOT_FOUND);

        String volume = harness.sandbox().name("nokernel-root");
        harness.provision(volume, "t");
        AgentClient.Response noKernel = client.domains().put(harness.sandbox().name("nokernel"),
                new DomainRequest(1, 64L << 20, volume, true, null, null, List.of(), List.of(), null, false,
                        new DomainRequest.KernelBoot(bootDir.resolve("vmlinuz").toString(), null, "console=ttyS0"), false));
        assertThat(noKernel.status()).isEqualTo(409);
        assertThat(noKernel.error().reason()).isEqualTo(AgentErrorReasons.BOOT_FILE_NOT_FOUND);
        assertThat(client.domains().get(harness.sandbox().name("nokernel")).status()).isEqualTo(404);
        assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
    }

    private DomainRequest request(String volume, int vcpus, boolean running) {
        CloudInitSeed seed = new CloudInitSeed(null, "life", "life.example.com", List.of("ssh-ed25519 AAAAC3Nza test"),
                "$6$salt$hash", null, List.of(new CloudInitSeed.Network(null, List.of("10.0.0.5/24"), "10.0.0.1",
                List.of("10.0.0.53"), false)));
        return new DomainRequest(vcpus, 128L << 20, volume, running, DomainRequest.Firmware.UEFI, null,
                List.of(new DomainRequest.DataDisk("vdb", 16L << 20)),
                List.of(new DomainRequest.Nic(bridge.name(), null)), seed, true, null, true);
    }

    private DomainStatus put(String domain, DomainRequest request) {
        AgentClient.Response response = client.domains().put(domain, request);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.as(DomainStatus.class);
    }

    private DomainStatus post(String path) {
        AgentClient.Response response = client.send("POST", path, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.as(DomainStatus.class);
    }

    private void awaitPhase(String domain, DomainPhase phase) {
        await().atMost(SETTLE).until(() -> client.domains().status(domain, DomainStatus.class).phase(), p -> p == phase);
    }
}
