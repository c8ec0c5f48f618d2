package io.virtfleet.agent.contract;

/** The agent's HTTP routes. Every route but {@link #HEALTH} requires {@code Authorization: Bearer <token>}. */
public final class AgentPaths {
    public static final String HEALTH = "/healthz";
    public static final String VOLUMES = "/api/v1/volumes";
    public static final String DOMAINS = "/api/v1/domains";
    /** {@link HostCapacity} of the host: CPUs, memory, pools, cached images. */
    public static final String HOST = "/api/v1/host";

    private AgentPaths() {
    }

    public static String volume(String name) {
        return VOLUMES + "/" + name;
    }

    public static String domain(String name) {
        return DOMAINS + "/" + name;
    }

    /** {@code POST}: pause a running domain (its memory stays allocated); answers the {@link DomainStatus}. */
    public static String domainSuspend(String name) {
        return domain(name) + "/suspend";
    }

    /** {@code POST}: continue a paused domain; answers the {@link DomainStatus}. */
    public static String domainResume(String name) {
        return domain(name) + "/resume";
    }
}
