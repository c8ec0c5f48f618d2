package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.CloudInitSeed;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.fixtures.TestBridge;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import io.virtfleet.fixtures.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real guest under QEMU (TCG): a Debian kernel and a busybox initramfs booted by the agent with direct kernel
 * boot. The guest prints on its serial console what it found in the {@code cidata} seed and on its root disk; the
 * test reads the console log the agent keeps.
 */
class GuestBootIntegrationTest {
    private static final Logger LOG = LoggerFactory.getLogger(GuestBootIntegrationTest.class);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    /** Overlay: the guest reads the image through a qcow2 layer whose backing file is the agent's cache entry. */
    @ParameterizedTest
    @EnumSource(VolumeProvisioning.class)
    void theGuestFindsItsSeedAndItsRootDisk(VolumeProvisioning provisioning, @TempDir Path dir) throws Exception {
        TestGuest guest = TestGuests.build(dir.resolve("guest"));
        try (AgentHarness harness = AgentHarness.start(dir,
                config -> config.kernelBootDirs(dir.resolve("guest")).allowedBridges(TestBridge.PREFIX + "*"));
             TestBridge bridge = TestBridge.create()) {
            String volume = harness.sandbox().name("guest-root");
            String domain = harness.sandbox().name("guest");
            harness.provision(volume, new VolumeRequest(AgentHarness.IMAGE_URL, null, AgentHarness.VOLUME_SIZE, null,
                    "boot-1", null, null, null, provisioning));
            CloudInitSeed seed = new CloudInitSeed(null, "guest01", "guest01.example.com",
                    List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 tester@ci"), null, null,
                    List.of(new CloudInitSeed.Network(null, List.of("10.0.0.5/24"), "10.0.0.1", List.of("10.0.0.53"), false)));
            DomainRequest request = new DomainRequest(1, 256L << 20, volume, true, DomainRequest.Firmware.BIOS, null, List.of(),
                    List.of(new DomainRequest.Nic(bridge.name(), null)), seed, false,
                    new DomainRequest.KernelBoot(guest.kernel().toString(), guest.initrd().toString(), guest.cmdline()),
                    false);
            Path console = harness.config().stateDir().resolve("consoles").resolve(domain + ".log");

            long started = System.nanoTime();
            AgentClient.Response response = harness.client().domains().put(domain, request);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> read(console).contains(TestGuest.DONE));
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.info("guest boot: start to done marker in {} s", String.format("%.1f", seconds));

            if (provisioning == VolumeProvisioning.Overlay) { // the chain QEMU was given, as libvirt reports it
                String live = harness.sandbox().connect().domainLookupByName(domain).getXMLDesc(0);
                assertThat(live).contains("<driver name='qemu' type='qcow2'/>")
                        .contains("<source file='" + harness.config().cacheDir().resolve("sha256")
                                .resolve(harness.image().sha256()) + "'");
            }

            String log = read(console);
            assertThat(log).contains("VFGUEST seed-device=/dev/sr0")
                    .contains(TestGuest.seedLine("meta-data", "instance-id: " + domain + "-boot-1"))
                    .contains(TestGuest.seedLine("meta-data", "local-hostname: guest01"))
                    .contains(TestGuest.seedLine("user-data", "hostname: guest01"))
                    .contains(TestGuest.seedLine("user-data", "fqdn: guest01.example.com"))
                    .contains(TestGuest.seedLine("user-data", "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 tester@ci"))
                    .contains(TestGuest.seedLine("network-config", "      macaddress: be:ef:0a:00:00:05"))
                    .contains(TestGuest.seedLine("network-config", "      - 10.0.0.5/24"))
                    .contains(TestGuest.seedLine("network-config", "    gateway4: 10.0.0.1"))
                    .contains(TestGuest.rootDiskLine(TestImages.marker("test-image").strip()))
                    .doesNotContain("insmod-failed");
            // the guest powers itself off (on_poweroff destroy): the agent sees the domain stopped
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> harness.client().domains().status(domain, DomainStatus.class).phase(), p -> p == DomainPhase.Stopped);

            assertThat(harness.client().domains().deleteUntilGone(domain).status()).isEqualTo(204);
            assertThat(console).doesNotExist();
            assertThat(harness.client().volumes().delete(volume).status()).isEqualTo(204);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }
}
