package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.PrivateLibvirtd;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * Domain lifecycle events after libvirtd was killed (SIGKILL) and restarted under a {@link PrivateLibvirtd}: the
 * listener is registered again on the new connection, exactly once. The periodic check is set to an hour, so a stop
 * seen within the test can only have come from an event.
 */
class DomainEventsFaultTest {
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final String DOMAIN_XML = """
            <domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
            <os><type arch='x86_64' machine='q35'>hvm</type></os></domain>""";

    private PrivateLibvirtd libvirtd;
    private LibvirtConnection connection;
    private DomainEvents events;
    private final List<String> stopped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        libvirtd = PrivateLibvirtd.start();
        connection = LibvirtConnection.open(libvirtd.uri());
        events = new DomainEvents(connection, Duration.ofHours(1), stopped::add);
    }

    @AfterEach
    void stop() throws Exception {
        if (events != null) {
            events.close();
            connection.close();
        }
        if (libvirtd != null) {
            libvirtd.close();
        }
    }

    @Test
    void afterLibvirtdWasKilledAndRestartedAStopIsStillReportedByEventOnce() throws Exception {
        String name = "vftest-events";
        withConnection(connect -> connect.domainDefineXML(DOMAIN_XML.formatted(name)).create());

        libvirtd.kill();
        await().atMost(RECOVERY).until(() -> connection.downFor().isPresent());
        libvirtd.restart();
        // Reconnected, and the re-read of every domain that follows a reconnect is done: the guest kept running.
        await().atMost(RECOVERY).until(() -> connection.downFor().isEmpty());
        assertThat(events.observed(name)).contains(DomainPhase.Running);
        assertThat(stopped).isEmpty();

        withConnection(connect -> {
            connect.domainLookupByName(name).destroy();
            return null;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> !stopped.isEmpty());
        assertThat(stopped).containsExactly(name);
        assertThat(events.observed(name)).contains(DomainPhase.Stopped);
    }

    private void withConnection(LibvirtConnection.LibvirtCall<?> call) throws Exception {
        Connect connect = new Connect(libvirtd.uri());
        try {
            call.apply(connect);
        } finally {
            connect.close();
        }
    }
}
