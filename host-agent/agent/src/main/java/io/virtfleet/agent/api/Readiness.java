package io.virtfleet.agent.api;

import io.virtfleet.agent.storage.StoragePools;

import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /readyz} checks: libvirtd answers and the default pool is active. A node failing it should get no
 * new work. While libvirtd is away the agent reconnects by itself and readiness returns with it; {@link Liveness}
 * fails only when the outage outlasts its grace period.
 */
public final class Readiness {
    private final StoragePools pools;
    private final String defaultPool;
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    /** The last problem logged: the log says when it changes, not on every probe. */
    private volatile String logged;

    public Readiness(StoragePools pools, String defaultPool) {
        this.pools = pools;
        this.defaultPool = defaultPool;
    }

    /** Why the agent is not ready, or empty when it is. Logged when it changes; never sent to an unauthenticated caller. */
    public Optional<String> problem() {
        Optional<String> problem;
        try {
            pools.requireActivePool(defaultPool);
            problem = Optional.empty();
        } catch (RuntimeException e) { // AgentException for a missing pool, anything else for libvirtd gone
            problem = Optional.of(String.valueOf(e.getMessage()));
        }
        String now = problem.orElse(null);
        if (!Objects.equals(now, logged)) {
            logged = now;
            if (now == null) {
                LOG.info("agent ready");
            } else {
                LOG.warn("agent not ready problem={}", now);
            }
        }
        return problem;
    }
}
