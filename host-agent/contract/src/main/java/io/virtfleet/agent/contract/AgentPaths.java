package io.virtfleet.agent.contract;

/** The agent's HTTP routes. Every route but {@link #HEALTH} requires {@code Authorization: Bearer <token>}. */
public final class AgentPaths {
    public static final String HEALTH = "/healthz";
    public static final String VOLUMES = "/api/v1/volumes";
    public static final String DOMAINS = "/api/v1/domains";
    /** Prometheus text exposition of the agent's metrics. */
    public static final String METRICS = "/metrics";
    /** {@code GET}: the cache listing; {@code GET}/{@code DELETE} {@code /{sha256}}: one entry, evict it. */
    public static final String CACHE_IMAGES = "/api/v1/cache/images";
    /** {@code POST} a {@link PrefetchRequest}: get an image into the cache ahead of use. */
    public static final String CACHE_PREFETCH = "/api/v1/cache/prefetch";

    private AgentPaths() {
    }

    public static String volume(String name) {
        return VOLUMES + "/" + name;
    }

    public static String domain(String name) {
        return DOMAINS + "/" + name;
    }

    public static String cacheImage(String sha256) {
        return CACHE_IMAGES + "/" + sha256;
    }
}
