package io.virtfleet.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.virtfleet.crds.v1alpha1.ConsoleSpec;
import io.virtfleet.crds.v1alpha1.KernelBoot;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.fixtures.TestGuest;
import io.virtfleet.fixtures.TestGuests;
import io.virtfleet.fixtures.WebSocketProbe;
import io.virtfleet.operator.console.ConsoleAccess;
import io.virtfleet.operator.console.ConsoleKind;
import io.virtfleet.operator.console.client.ConsoleEndpoint;
import io.virtfleet.operator.console.client.ConsoleSession;
import io.virtfleet.operator.console.client.VncForwarder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The consoles through the whole path on the local stack: client → console gateway (in the operator's process) →
 * the node's agent over mutual TLS → QEMU's sockets, for a real guest under QEMU (TCG): the busybox test guest with a
 * shell on its serial port answers a command typed by the user, its VNC display greets a viewer connected through the
 * plugin's local forwarder, and a second session takes the console over from a first. Bearer tokens checked by
 * {@link StandInReviews} (the mock API has no aggregation layer, no authenticators, no RBAC: canned answers stand in
 * for them); a user allowed only in another namespace is refused.
 */
class ConsoleEndToEndTest extends OneNodeEndToEndTests {
    private static final Duration ANSWER = Duration.ofSeconds(120);

    @Override
    String poolPrefix() {
        return "vf-console-";
    }

    @Test
    void aTypedCommandIsAnsweredAndVncGreetsThroughTheGatewayForAllowedUsersOnly() throws Exception {
        TestGuest guest = TestGuests.build(work.resolve(LocalStack.KERNEL_BOOT_DIR));
        Fleet fleet = node.fleet("con");
        fleet.allow(policy -> policy.setKernelBootDirectories(List.of(guest.kernel().getParent().toString())));
        VirtualMachine vm = SampleObjects.vm(fleet.namespace(), "shell01", SampleObjects.volumeSpec("64Mi"), null);
        vm.getSpec().setMemory(new Quantity("256Mi"));
        vm.getSpec().setKernelBoot(new KernelBoot(guest.kernel().toString(), guest.initrd().toString(),
                guest.shellCmdline()));
        vm.getSpec().setConsole(new ConsoleSpec(true));
        client.resource(vm).create();
        stack.kubernetes().reviews().token("ops-token", "ops", List.of("ops"))
                .allow("ops", fleet.namespace(), "console").allow("ops", fleet.namespace(), "vnc")
                .token("other-token", "other", List.of()).allow("other", "elsewhere", "console");

        VirtualMachine running = fleet.awaitPhase("shell01", VirtualMachinePhase.Running);
        assertThat(running.getStatus().getConsole().getSerial()).isEqualTo("kubectl virtfleet console shell01 -n "
                + fleet.namespace() + " (WebSocket " + ConsoleAccess.path(fleet.namespace(), "shell01", ConsoleKind.CONSOLE) + ")");
        assertThat(running.getStatus().getConsole().getVnc()).startsWith("kubectl virtfleet vnc shell01 -n ");

        URI console = URI.create(stack.consoleGateway().toString().replace("https", "wss")
                + ConsoleAccess.path(fleet.namespace(), "shell01", ConsoleKind.CONSOLE));
        HttpClient http = HttpClient.newBuilder().sslContext(endpoint("ops-token").ssl()).build();
        WebSocketProbe forgotten = WebSocketProbe.connect(http, console, Map.of("Authorization", "Bearer ops-token"));
        try (WebSocketProbe serial = WebSocketProbe.connect(http, console, Map.of("Authorization", "Bearer ops-token"))) {
            assertThat(forgotten.closed().get(30, TimeUnit.SECONDS)).as("the newest session takes the console over")
                    .isEqualTo(1008);
            serial.await(TestGuest.SHELL, ANSWER);
            serial.send("echo \"vf-$((6*7))-answer\"\n");
            assertThat(serial.await("vf-42-answer", Duration.ofSeconds(30))).contains("vf-42-answer");
        } finally {
            forgotten.close();
        }

        // the plugin's console verb: typed lines in, the guest's answer out, end of input ends the session
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CompletableFuture<String> session = CompletableFuture.supplyAsync(() -> {
            try {
                return ConsoleSession.run(endpoint("ops-token"), fleet.namespace(), "shell01", stdin, stdout);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            keyboard.write("echo \"vf-$((3*5))-verb\"\n".getBytes(StandardCharsets.US_ASCII));
            keyboard.flush();
            assertThat(text(stdout)).contains("vf-15-verb");
        });
        keyboard.close();
        assertThat(session.get(30, TimeUnit.SECONDS)).as("the session ended with the input").isNotNull();

        try (VncForwarder vnc = VncForwarder.listen(endpoint("ops-token"), fleet.namespace(), "shell01", 0)) {
            Thread.ofVirtual().start(() -> {
                try {
                    vnc.serve();
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            try (Socket viewer = new Socket(InetAddress.getLoopbackAddress(), vnc.port())) {
                viewer.setSoTimeout(30_000);
                InputStream in = viewer.getInputStream();
                String greeting = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(greeting).matches("RFB 003\\.00[0-9]\\n");
            }
        }

        assertThatThrownBy(() -> WebSocketProbe.connect(http, console, Map.of("Authorization", "Bearer other-token")))
                .as("allowed in another namespace only")
                .isInstanceOfSatisfying(WebSocketProbe.Refused.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> WebSocketProbe.connect(http, console, Map.of()))
                .isInstanceOfSatisfying(WebSocketProbe.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.US_ASCII);
        }
    }

    private ConsoleEndpoint endpoint(String token) throws Exception {
        return ConsoleEndpoint.gateway(stack.consoleGateway(), stack.consoleCa(), token);
    }
}
