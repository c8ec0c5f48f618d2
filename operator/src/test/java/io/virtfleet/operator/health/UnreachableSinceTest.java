package io.virtfleet.operator.health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentClients;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.agent.AgentEndpoint;
import io.virtfleet.operator.agent.AgentTransport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Since when a node counts as unreachable, the clock a release's grace period runs on. */
class UnreachableSinceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AgentClient hv01 = new AgentClients(new SimpleMeterRegistry(), AgentTransport.insecurePlainHttp())
            .client(new AgentEndpoint("hv-01", URI.create("http://127.0.0.1:9"), null));
    private final AgentHealth health = new AgentHealth(new OneAgent(hv01), Duration.ofSeconds(15),
            Duration.ofSeconds(40), clock);

    @Test
    void aFailingAgentCountsFromItsFirstFailedProbeOnceTheThresholdHasPassed() {
        health.record("hv-01", false);
        now.set(T0.plusSeconds(30));
        health.record("hv-01", false);
        assertThat(health.unreachableSince("hv-01")).as("below the threshold").isEmpty();

        now.set(T0.plusSeconds(45));
        health.record("hv-01", false);
        assertThat(health.unreachableSince("hv-01")).contains(T0);

        health.record("hv-01", true);
        assertThat(health.unreachableSince("hv-01")).as("answers again").isEmpty();
    }

    @Test
    void aNodeWithoutAnyAgentCountsFromWhenTheOperatorFirstFoundNone() {
        now.set(T0.plusSeconds(5));
        assertThat(health.unreachableSince("hv-gone")).contains(T0.plusSeconds(5));
        now.set(T0.plusSeconds(500));
        assertThat(health.unreachableSince("hv-gone")).as("the same clock, not restarted").contains(T0.plusSeconds(5));
    }

    private record OneAgent(AgentClient agent) implements AgentDirectory {
        @Override
        public List<String> nodeNames() {
            return List.of(agent.nodeName());
        }

        @Override
        public Optional<AgentClient> forNode(String nodeName) {
            return agent.nodeName().equals(nodeName) ? Optional.of(agent) : Optional.empty();
        }
    }
}
