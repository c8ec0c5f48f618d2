package io.virtfleet.agent.api;

import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /healthz} checks: the agent is alive unless a libvirt connection has been down for longer than the
 * grace period. Short outages (libvirtd restarted by a package upgrade) only fail readiness while the agent
 * reconnects by itself; a longer one fails liveness too, so Kubernetes restarts the pod in case the agent itself is
 * what is stuck.
 */
public final class Liveness {
    private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

    private final List<LibvirtConnection> connections;
    private final Duration grace;
    /** The last answer: the log says when it changes, not on every probe (the text changes every second). */
    private volatile boolean wasLive = true;

    public Liveness(List<LibvirtConnection> connections, Duration grace) {
        this.connections = List.copyOf(connections);
        this.grace = grace;
    }

    /** Why the agent counts as dead, or empty when alive. Logged when it changes; never sent to a caller. */
    public Optional<String> problem() {
        Optional<String> problem = connections.stream()
                .flatMap(connection -> connection.downFor().filter(down -> down.compareTo(grace) > 0)
                        .map(down -> "libvirtd at " + connection.uri() + " unreachable for " + down.toSeconds()
                                + " s (grace " + grace.toSeconds() + " s)").stream())
                .findFirst();
        boolean live = problem.isEmpty();
        if (live != wasLive) {
            wasLive = live;
            if (live) {
                LOG.info("agent live again");
            } else {
                LOG.error("agent not live problem=\"{}\"", problem.get());
            }
        }
        return problem;
    }
}
