package io.virtfleet.operator.health;

import io.virtfleet.operator.agent.AgentDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Probes every agent's {@code /healthz} on a fixed interval, one cheap call per agent rather than per object, and
 * tells listeners when a node becomes unreachable (failing for longer than the threshold) or answers again. The
 * reconcilers then mark the node's objects; they never wait on a dead agent's timeouts.
 */
public final class AgentHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHealth.class);

    private final AgentDirectory agents;
    private final Duration interval;
    private final Duration unreachableAfter;
    private final Clock clock;
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();
    private final Map<String, Boolean> unreachable = new ConcurrentHashMap<>();
    /** Nodes asked about that have no agent in the directory, since when this operator knows it. */
    private final Map<String, Instant> withoutAgentSince = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("agent-health").factory());
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    public AgentHealth(AgentDirectory agents, Duration interval, Duration unreachableAfter, Clock clock) {
        this.agents = agents;
        this.interval = interval;
        this.unreachableAfter = unreachableAfter;
        this.clock = clock;
    }

    public AgentHealth start() {
        timer.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Called with the node name whenever a node turns unreachable or reachable again. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    public boolean isUnreachable(String node) {
        return unreachable.getOrDefault(node, false);
    }

    /** Since when the node's agent has been failing, for messages. */
    public Instant failingSince(String node) {
        return failingSince.get(node);
    }

    /**
     * Since when the node counts as unreachable: its agent failing probes past the threshold (since the first failed
     * probe), or no agent known for it at all (since this operator first found none, so a restart starts that clock
     * again). Empty while the node's agent answers or has not failed for long enough.
     */
    public Optional<Instant> unreachableSince(String node) {
        if (agents.forNode(node).isEmpty()) {
            return Optional.of(withoutAgentSince.computeIfAbsent(node, n -> clock.instant()));
        }
        withoutAgentSince.remove(node);
        return isUnreachable(node) ? Optional.ofNullable(failingSince.get(node)) : Optional.empty();
    }

    private void probeAll() {
        for (String node : agents.nodeNames()) {
            agents.forNode(node).ifPresent(agent -> probes.execute(() -> record(node, agent.healthy(interval))));
        }
    }

    void record(String node, boolean healthy) {
        Instant now = clock.instant();
        boolean nowUnreachable;
        if (healthy) {
            failingSince.remove(node);
            nowUnreachable = false;
        } else {
            Instant since = failingSince.computeIfAbsent(node, n -> now);
            nowUnreachable = !since.plus(unreachableAfter).isAfter(now);
        }
        Boolean before = unreachable.put(node, nowUnreachable);
        if (before != null && before != nowUnreachable || before == null && nowUnreachable) {
            LOG.info("agent node={} {}", node, nowUnreachable ? "unreachable since " + failingSince.get(node)
                    : "answers again");
            listeners.forEach(listener -> listener.accept(node));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        probes.shutdownNow();
    }
}
