package io.virtfleet.operator.rootvolume;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * However a long poll ends, the RootVolume's reconcile is woken (a second after a poll without a move) and the volume
 * can be watched again: a failed poll used to be dropped silently.
 */
class VolumeProgressWatchTest {
    private final List<Event> woken = new CopyOnWriteArrayList<>();

    @Test
    void aPollThatFailsWakesTheReconcileAndFreesTheVolumeForTheNextWatch() throws IOException {
        VolumeProgressWatch watch = started();
        RootVolume volume = volume();
        AgentClient unreachable = agentOnAClosedPort();

        watch.watch(volume, unreachable, "team-a.web01-root", VolumePhase.Downloading);
        await().atMost(Duration.ofSeconds(20)).until(() -> woken.size() == 1);
        watch.watch(volume, unreachable, "team-a.web01-root", VolumePhase.Populating);
        await().atMost(Duration.ofSeconds(20)).until(() -> woken.size() == 2);

        assertThat(woken).extracting(Event::getRelatedCustomResourceID)
                .containsOnly(new ResourceID("web01-root", "team-a"));
    }

    /**
     * Beyond {@link VolumeProgressWatch#MAX_PER_AGENT} polls on one agent, a volume waits in line, and the poll that
     * ends first wakes it (its reconcile then takes the freed poll) instead of leaving it to a slow refresh.
     */
    @Test
    void aVolumeThatFindsEveryPollTakenIsWokenWhenOneEnds() throws IOException {
        VolumeProgressWatch watch = started();
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing: the poll stays open
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            AgentClient agent = agentAt(silent.getLocalPort());
            for (int i = 0; i < VolumeProgressWatch.MAX_PER_AGENT; i++) {
                assertThat(watch.watch(volume("vm-" + i + "-root"), agent, "team-a.vm-" + i, VolumePhase.Populating))
                        .isTrue();
            }
            assertThat(watch.watch(volume("late-root"), agent, "team-a.late", VolumePhase.Populating))
                    .as("every poll of the agent is taken").isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> held.size() == VolumeProgressWatch.MAX_PER_AGENT);
            assertThat(woken).isEmpty();

            // One poll ends (an error answer; a closed connection would be retried by the HTTP client).
            held.getFirst().getOutputStream().write(
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(woken)
                    .extracting(Event::getRelatedCustomResourceID).contains(new ResourceID("late-root", "team-a")));
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private VolumeProgressWatch started() {
        VolumeProgressWatch watch = new VolumeProgressWatch();
        watch.setEventHandler(woken::add);
        watch.start();
        return watch;
    }

    private static RootVolume volume() {
        return volume("web01-root");
    }

    private static RootVolume volume(String name) {
        RootVolume volume = new RootVolume();
        volume.getMetadata().setName(name);
        volume.getMetadata().setNamespace("team-a");
        return volume;
    }

    /** An agent that refuses connections: the poll fails at once, as when an agent restarts mid-population. */
    private static AgentClient agentOnAClosedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return agentAt(port);
    }

    private static AgentClient agentAt(int port) {
        return new AgentClients(new SimpleMeterRegistry(), AgentTransport.insecurePlainHttp())
                .client(new AgentEndpoint("hv-1", URI.create("http://127.0.0.1:" + port), null));
    }
}
