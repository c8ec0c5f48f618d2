package io.virtfleet.agent.api;

import io.virtfleet.agent.storage.StoragePools;

import java.util.Optional;

/**
 * What {@code GET /readyz} checks: libvirtd answers and the default pool is active. A node failing it should get no
 * new work, but the agent process itself is fine ({@code /healthz} stays 200), so Kubernetes does not restart it.
 */
public final class Readiness {
    private final StoragePools pools;
    private final String defaultPool;

    public Readiness(StoragePools pools, String defaultPool) {
        this.pools = pools;
        this.defaultPool = defaultPool;
    }

    /** Why the agent is not ready, or empty when it is. */
    public Optional<String> problem() {
        try {
            pools.requireActivePool(defaultPool);
            return Optional.empty();
        } catch (RuntimeException e) { // AgentException for a missing pool, anything else for libvirtd gone
            return Optional.of(e.getMessage());
        }
    }
}
