package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.fixtures.HostPrerequisites;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;

/**
 * vCPUs and memory changed on a running guest (real libvirtd + QEMU, TCG): a booted Linux guest with the virtio
 * balloon driver, defined with maxima above its current values. A vCPU is hot-plugged and the guest onlines it; the
 * balloon target is lowered and the balloon's actual size follows; values above the maxima or above the host are
 * refused without touching the domain; a new maximum waits for a restart.
 */
class LiveResizeIntegrationTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);
    private static final long MIB = 1L << 20;
    private static final DomainRequest.Maxima MAXIMA = new DomainRequest.Maxima(2, 384 * MIB);

    @Test
    void aRunningGuestTakesVcpusAndMemoryWithinItsMaximaAndNothingBeyond(@TempDir Path dir) throws Exception {
        TestGuest guest = TestGuests.buildStaying(dir.resolve("guest"));
        try (AgentHarness harness = AgentHarness.start(dir, config -> config.kernelBootDirs(dir.resolve("guest"))
                .shutdownTimeout(Duration.ofSeconds(2)))) {
            String volume = harness.sandbox().name("resize-root");
            String name = harness.sandbox().name("resize");
            harness.provision(volume, "boot-1");
            Path console = harness.config().stateDir().resolve("consoles").resolve(name + ".log");
            AgentClient client = harness.client();

            DomainStatus booted = put(client, name, request(guest, volume, 1, 384 * MIB, MAXIMA));
            assertThat(booted.phase()).isEqualTo(DomainPhase.Running);
            await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> read(console).contains(TestGuest.cpusOnlineLine("0")));
            assertThat(read(console)).doesNotContain("insmod-failed");
            Domain domain = harness.sandbox().connect().domainLookupByName(name);
            assertThat(virsh("vcpucount", name, "--live", "--active")).isEqualTo("1");
            assertThat(virsh("vcpucount", name, "--live", "--maximum")).isEqualTo("2");
            String definitionBefore = domain.getXMLDesc(2);

            // within the maxima: one more vCPU plugged in live, the balloon target lowered to 256 MiB
            DomainStatus resized = put(client, name, request(guest, volume, 2, 256 * MIB, MAXIMA));
            assertThat(resized.restartRequired()).isFalse();
            assertThat(resized.hardware().vcpus()).isEqualTo(2);
            assertThat(resized.hardware().maxVcpus()).isEqualTo(2);
            assertThat(resized.hardware().maxMemoryBytes()).isEqualTo(384 * MIB);
            assertThat(virsh("vcpucount", name, "--live", "--active")).isEqualTo("2");
            assertThat(virsh("vcpucount", name, "--config", "--active")).as("kept for the next start")
                    .isEqualTo("2");
            await().atMost(CHANGE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> read(console).contains(TestGuest.cpusOnlineLine("0-1")));
            await().atMost(CHANGE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> balloonActualKib(name) == 256 * 1024);
            assertThat(client.domains().status(name, DomainStatus.class).hardware().memoryBytes())
                    .as("the balloon's actual size, as virsh dommemstat reports it").isEqualTo(256 * MIB);
            String resizedDefinition = domain.getXMLDesc(2);
            assertThat(resizedDefinition).contains("<currentMemory unit='KiB'>262144</currentMemory>");

            // beyond the declared maxima, or maxima beyond the host: refused, the domain is left as it was
            AgentClient.Response aboveMaximum = client.domains().put(name, request(guest, volume, 3, 256 * MIB, MAXIMA));
            assertThat(aboveMaximum.status()).isEqualTo(400);
            assertThat(aboveMaximum.error().reason()).isEqualTo(AgentErrorReasons.INVALID_REQUEST);
            assertThat(aboveMaximum.error().message()).contains("must not exceed maxima.vcpus (2)");
            AgentClient.Response memoryAbove = client.domains().put(name,
                    request(guest, volume, 2, 512 * MIB, MAXIMA));
            assertThat(memoryAbove.status()).isEqualTo(400);
            int hostCpus = harness.sandbox().connect().nodeInfo().cpus;
            AgentClient.Response aboveHost = client.domains().put(name, request(guest, volume, 2, 256 * MIB,
                    new DomainRequest.Maxima(hostCpus + 1, 384 * MIB)));
            assertThat(aboveHost.status()).isEqualTo(409);
            assertThat(aboveHost.error().reason()).isEqualTo(AgentErrorReasons.EXCEEDS_HOST_CAPACITY);
            AgentClient.Response memoryAboveHost = client.domains().put(name, request(guest, volume, 2, 256 * MIB,
                    new DomainRequest.Maxima(2, Long.MAX_VALUE / 2)));
            assertThat(memoryAboveHost.status()).isEqualTo(409);
            assertThat(domain.getXMLDesc(2)).as("the persistent definition is untouched").isEqualTo(resizedDefinition);
            assertThat(virsh("vcpucount", name, "--live", "--active")).isEqualTo("2");
            assertThat(balloonActualKib(name)).isEqualTo(256 * 1024);

            // fewer vCPUs: unplugging needs the guest to release the CPU (ACPI eject) within libvirt's timeout (on this
            // TCG guest it timed out). Never a failed request: the definition holds 1 for the next start, and the
            // status says a restart is required exactly while the running count differs.
            DomainStatus shrunk = put(client, name, request(guest, volume, 1, 256 * MIB, MAXIMA));
            assertThat(virsh("vcpucount", name, "--config", "--active")).isEqualTo("1");
            assertThat(shrunk.restartRequired()).as("live vCPUs " + shrunk.hardware().vcpus())
                    .isEqualTo(shrunk.hardware().vcpus() != 1);

            // a new maximum is a new definition: it waits for a restart, nothing changes live
            DomainStatus newMaximum = put(client, name, request(guest, volume, 2, 256 * MIB,
                    new DomainRequest.Maxima(2, 512 * MIB)));
            assertThat(newMaximum.restartRequired()).isTrue();
            assertThat(newMaximum.hardware().maxMemoryBytes()).isEqualTo(384 * MIB);
            assertThat(definitionBefore).isNotEqualTo(domain.getXMLDesc(2));

            assertThat(client.domains().deleteUntilGone(name).status()).isEqualTo(204);
            assertThat(client.volumes().delete(volume).status()).isEqualTo(204);
        }
    }

    private static DomainRequest request(TestGuest guest, String volume, int vcpus, long memory,
                                         DomainRequest.Maxima maxima) {
        return new DomainRequest(vcpus, memory, volume, true, DomainRequest.Firmware.BIOS, null, List.of(), List.of(),
                null, false, new DomainRequest.KernelBoot(guest.kernel().toString(), guest.initrd().toString(),
                guest.cmdline()), false).withMaxima(maxima);
    }

    private static DomainStatus put(AgentClient client, String name, DomainRequest request) {
        AgentClient.Response response = client.domains().put(name, request);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.as(DomainStatus.class);
    }

    /** {@code virsh dommemstat}'s {@code actual}: the balloon's size as QEMU reports it, in KiB. */
    private static long balloonActualKib(String name) throws IOException, InterruptedException {
        return virsh("dommemstat", name).lines().filter(line -> line.startsWith("actual "))
                .mapToLong(line -> Long.parseLong(line.substring("actual ".length()).strip())).findFirst()
                .orElseThrow();
    }

    private static String virsh(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", HostPrerequisites.LIBVIRT_URI));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }
}
