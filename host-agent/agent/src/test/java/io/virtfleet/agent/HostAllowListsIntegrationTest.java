package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.fixtures.TestBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.StoragePool;

/**
 * The platform's allow-lists enforced by the agent itself, over its HTTP API on the real libvirtd: host files through
 * direct kernel boot, bridges and storage pools outside the lists are refused with their reason before anything is
 * created (no domain, no data disk, no seed, no console log, no volume).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAllowListsIntegrationTest {
    private static final String HOST_FILE = "/etc/shadow";

    private AgentHarness harness;
    private AgentClient client;
    private TestBridge allowedBridge;
    private TestBridge otherBridge;
    private Path bootDir;
    private Path kernel;
    private String root;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        allowedBridge = TestBridge.create();
        otherBridge = TestBridge.create();
        bootDir = Files.createDirectories(dir.resolve("boot"));
        kernel = Files.writeString(bootDir.resolve("vmlinuz"), "not really a kernel");
        harness = AgentHarness.start(dir.resolve("run"), config -> config.kernelBootDirs(bootDir)
                .allowedBridges(allowedBridge.name()));
        client = harness.client();
        root = harness.sandbox().name("allow-root");
        harness.provision(root, "t");
        Files.createSymbolicLink(bootDir.resolve("shadow-link"), Path.of(HOST_FILE));
        Files.createSymbolicLink(bootDir.resolve("cache-link"), harness.config().cacheDir());
        Files.createSymbolicLink(bootDir.resolve("kernel-link"), kernel);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            if (allowedBridge != null) {
                allowedBridge.close();
            }
            if (otherBridge != null) {
                otherBridge.close();
            }
        }
    }

    @Test
    void aHostFileOutsideTheAllowedDirectoriesIsRefused() {
        refusedDomain("shadow-kernel", boot(HOST_FILE, null), allowedBridge, AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refusedDomain("shadow-initrd", boot(kernel.toString(), HOST_FILE), allowedBridge,
                AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
    }

    @Test
    void aSymlinkInsideAnAllowedDirectoryLeadingOutIsRefused() {
        refusedDomain("symlink", boot(kernel.toString(), bootDir.resolve("shadow-link").toString()), allowedBridge,
                AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
    }

    @Test
    void dotDotTraversalIsRefused() {
        refusedDomain("dotdot", boot(bootDir + "/../../../../../../../etc/shadow", null), allowedBridge,
                AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
    }

    @Test
    void theAgentsOwnCacheIsRefusedEvenThroughAnAllowedDirectory() throws Exception {
        Path cached;
        try (Stream<Path> entries = Files.list(harness.config().cacheDir().resolve("sha256"))) {
            cached = entries.findFirst().orElseThrow();
        }
        refusedDomain("cache", boot(bootDir.resolve("cache-link").resolve("sha256").resolve(cached.getFileName())
                .toString(), null), allowedBridge, AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refusedDomain("cache-direct", boot(cached.toString(), null), allowedBridge,
                AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
    }

    @Test
    void aBridgeNotInTheListIsRefusedEvenThoughItExists() {
        refusedDomain("bridge", null, otherBridge, AgentErrorReasons.BRIDGE_NOT_ALLOWED);
    }

    @Test
    void anAllowedFileIsDefinedByItsRealPath() throws Exception {
        String domain = harness.sandbox().name("allowed");
        AgentClient.Response defined = client.domains().put(domain,
                request(boot(bootDir.resolve("kernel-link").toString(), null), allowedBridge, false));
        assertThat(defined.status()).as(defined.body()).isEqualTo(200);
        LibvirtXml.Parsed xml = LibvirtXml.parse(harness.sandbox().connect().domainLookupByName(domain).getXMLDesc(0));
        assertThat(xml.value("/domain/os/kernel")).contains(kernel.toRealPath().toString());
        assertThat(client.domains().deleteUntilGone(domain).status()).isEqualTo(204);
    }

    @Test
    void aPoolNotInTheListIsRefusedEvenThoughItExists(@TempDir Path poolDir) throws Exception {
        String poolName = harness.sandbox().name("other-pool").replace('.', '-');
        StoragePool other = harness.sandbox().connect().storagePoolCreateXML("""
                <pool type="dir"><name>%s</name><target><path>%s</path></target></pool>
                """.formatted(poolName, poolDir), 0);
        try {
            String volume = harness.sandbox().name("other-pool-vol");
            AgentClient.Response refused = client.volumes().put(volume,
                    new VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, poolName, "t"));

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.error().reason()).isEqualTo(AgentErrorReasons.POOL_NOT_ALLOWED);
            assertThat(refused.error().message()).contains(poolName);
            assertThat(client.volumes().get(volume).status()).isEqualTo(404);
            assertThat(other.listVolumes()).isEmpty();
            assertThat(poolDir).isEmptyDirectory();
            assertThat(harness.config().stateDir().resolve("volumes").resolve(volume + ".json")).doesNotExist();
        } finally {
            other.destroy();
        }
    }

    private void refusedDomain(String suffix, DomainRequest.KernelBoot boot, TestBridge bridge, String reason) {
        String domain = harness.sandbox().name(suffix);
        AgentClient.Response refused = client.domains().put(domain, request(boot, bridge, true));

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.error().reason()).isEqualTo(reason);
        assertThat(client.domains().get(domain).status()).isEqualTo(404);
        Path state = harness.config().stateDir();
        assertThat(harness.config().poolPath().resolve(domain + "_vdb")).doesNotExist();
        assertThat(state.resolve("seeds").resolve(domain + ".iso")).doesNotExist();
        assertThat(state.resolve("seeds").resolve(domain + ".json")).doesNotExist();
        assertThat(state.resolve("consoles").resolve(domain + ".log")).doesNotExist();
        assertThat(harness.config().poolPath()).isDirectoryNotContaining(path -> !path.getFileName().toString().equals(root));
    }

    private static DomainRequest.KernelBoot boot(String kernelPath, String initrd) {
        return new DomainRequest.KernelBoot(kernelPath, initrd, "console=ttyS0");
    }

    private DomainRequest request(DomainRequest.KernelBoot boot, TestBridge bridge, boolean running) {
        CloudInitSeed seed = new CloudInitSeed(null, "guest", "guest.example.com", List.of(), null, null,
                List.of(new CloudInitSeed.Network(null, List.of("192.0.2.5/24"), null, List.of(), false)));
        return new DomainRequest(1, 64L << 20, root, running, DomainRequest.Firmware.BIOS, null,
                List.of(new DomainRequest.DataDisk("vdb", 8L << 20)), List.of(new DomainRequest.Nic(bridge.name(), null)),
                seed, false, boot, false);
    }
}
