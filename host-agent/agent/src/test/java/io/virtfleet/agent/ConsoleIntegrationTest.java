package io.virtfleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import io.virtfleet.fixtures.WebSocketProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consoles' WebSocket routes on a real guest under QEMU (TCG): the busybox test guest with a shell on its serial
 * port answers a command typed through the agent, its VNC server greets with the RFB version, and the console log
 * keeps recording. Abuse: names that are not this agent's running domains, names that try to leave the console
 * directory, a missing or wrong token. (Mutual TLS in front of the WebSocket routes: {@code AgentMutualTlsTest}.)
 */
class ConsoleIntegrationTest {
    private static final Duration ANSWER = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aTypedCommandIsAnsweredAndVncGreetsAndOnlyOwnedRunningDomainsAreReachable() throws Exception {
        TestGuest guest = TestGuests.build(dir.resolve("guest"));
        try (AgentHarness harness = AgentHarness.start(dir, config -> config.kernelBootDirs(dir.resolve("guest")))) {
            String volume = harness.sandbox().name("console-root");
            String domain = harness.sandbox().name("console");
            harness.provision(volume, "1");
            DomainRequest request = new DomainRequest(1, 256L << 20, volume, true, DomainRequest.Firmware.BIOS, null,
                    List.of(), List.of(), null, true,
                    new DomainRequest.KernelBoot(guest.kernel().toString(), guest.initrd().toString(), guest.shellCmdline()),
                    false);
            assertThat(harness.client().domains().put(domain, request).status()).isEqualTo(200);

            try (WebSocketProbe console = connect(harness, AgentPaths.domainConsole(domain), AgentHarness.TOKEN)) {
                console.await(TestGuest.SHELL, ANSWER);
                console.send("echo \"vf-$((6*7))-answer\"\n");
                assertThat(console.await("vf-42-answer", Duration.ofSeconds(30))).contains("vf-42-answer");
            }
            Path log = harness.config().stateDir().resolve("consoles").resolve(domain + ".log");
            await("the console log keeps recording").atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(log), text -> text.contains(TestGuest.SHELL) && text.contains("vf-42-answer"));
            try (WebSocketProbe vnc = connect(harness, AgentPaths.domainVnc(domain), AgentHarness.TOKEN)) {
                assertThat(vnc.await("\n", Duration.ofSeconds(30))).matches("RFB 003\\.00[0-9]\\n");
            }

            assertRefused(harness, AgentPaths.domainConsole(domain), null, 401);
            assertRefused(harness, AgentPaths.domainConsole(domain), "wrong-token", 401);
            assertRefused(harness, AgentPaths.domainConsole(harness.sandbox().name("absent")), AgentHarness.TOKEN, 404);
            assertRefused(harness, AgentPaths.DOMAINS + "/..%2F..%2Fetc%2Fpasswd/console", AgentHarness.TOKEN, 400);
            assertRefused(harness, AgentPaths.DOMAINS + "/Upper_Case/console", AgentHarness.TOKEN, 400);
            String foreign = foreignDomain(harness);
            assertRefused(harness, AgentPaths.domainConsole(foreign), AgentHarness.TOKEN, 404);

            harness.client().domains().put(domain, new DomainRequest(1, 256L << 20, volume, false,
                    DomainRequest.Firmware.BIOS, null, List.of(), List.of(), null, true, request.kernelBoot(), false));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.client().domains()
                    .status(domain, DomainStatus.class).phase(), phase -> phase == DomainPhase.Stopped);
            assertRefused(harness, AgentPaths.domainConsole(domain), AgentHarness.TOKEN, 409);
            assertRefused(harness, AgentPaths.domainVnc(domain), AgentHarness.TOKEN, 409);
            // running again without VNC: the serial console is there, VNC is refused with the same clear reason
            assertThat(harness.client().domains().put(domain, new DomainRequest(1, 256L << 20, volume, true,
                    DomainRequest.Firmware.BIOS, null, List.of(), List.of(), null, false, request.kernelBoot(), false))
                    .status()).isEqualTo(200);
            assertRefused(harness, AgentPaths.domainVnc(domain), AgentHarness.TOKEN, 409);
            connect(harness, AgentPaths.domainConsole(domain), AgentHarness.TOKEN).close();

            assertThat(harness.client().domains().deleteUntilGone(domain).status()).isEqualTo(204);
            try (var left = Files.list(harness.config().stateDir().resolve("consoles"))) {
                assertThat(left.toList()).as("log and sockets removed with the domain").isEmpty();
            }
            assertThat(harness.client().volumes().delete(volume).status()).isEqualTo(204);
        }
    }

    /** A domain on the same libvirtd that this agent did not define (no fingerprint): off limits. */
    private static String foreignDomain(AgentHarness harness) throws Exception {
        String name = harness.sandbox().name("foreign");
        // the sandbox removes every domain with its prefix at the end
        harness.sandbox().connect().domainDefineXML("<domain type='qemu'><name>" + name
                + "</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>");
        return name;
    }

    private static WebSocketProbe connect(AgentHarness harness, String path, String token) {
        return WebSocketProbe.connect(HTTP, wsUri(harness, path),
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    private static void assertRefused(AgentHarness harness, String path, String token, int status) {
        assertThatThrownBy(() -> connect(harness, path, token).close()).as(path)
                .isInstanceOfSatisfying(WebSocketProbe.Refused.class, refused -> assertThat(refused.status()).isEqualTo(status));
    }

    private static URI wsUri(AgentHarness harness, String path) {
        URI base = harness.agent().baseUri();
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }
}
