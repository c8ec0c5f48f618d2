package io.virtfleet.agent.contract;

/**
 * The agent's HTTP routes. Every route but {@link #HEALTH} and {@link #READY} requires
 * {@code Authorization: Bearer <token>}.
 */
public final class AgentPaths {
    public static final String HEALTH = "/healthz";
    /** 200 when libvirtd answers and the default pool is active, else 503 with the reason (no token needed). */
    public static final String READY = "/readyz";
    public static final String VOLUMES = "/api/v1/volumes";
    public static final String DOMAINS = "/api/v1/domains";
    /** {@code PUT}/{@code GET}/{@code DELETE} {@code /{name}}: snapshots of volumes; {@code GET}: all of them. */
    public static final String SNAPSHOTS = "/api/v1/snapshots";
    /** {@code PUT}/{@code GET}/{@code DELETE /{name}}: a libvirt network the agent owns ({@link NetworkRequest}). */
    public static final String NETWORKS = "/api/v1/networks";
    /** {@link HostCapacity} of the host: CPUs, memory, pools, cached images. */
    public static final String HOST = "/api/v1/host";
    /** Prometheus text exposition of the agent's metrics. */
    public static final String METRICS = "/metrics";
    /** {@code GET}: the cache listing; {@code GET}/{@code DELETE} {@code /{sha256}}: one entry, evict it. */
    public static final String CACHE_IMAGES = "/api/v1/cache/images";
    /**
     * {@code POST} a {@link ProvisionRequest}: a volume outside Kubernetes filled from an image, answered with a
     * {@link ProvisionStatus} once done. Off by default (404 as if absent); see docs/provision.md.
     */
    public static final String PROVISION = "/api/v1/provision";
    /** {@code POST} a {@link PrefetchRequest}: get an image into the cache ahead of use. */
    public static final String CACHE_PREFETCH = "/api/v1/cache/prefetch";
    /**
     * {@code DELETE /{name}}: drop a catalogue pin ({@link PrefetchRequest#catalogPin()}); 204, also when absent. The
     * pins are listed in {@link CacheListing#catalogPins()}.
     */
    public static final String CACHE_PINS = "/api/v1/cache/pins";

    /**
     * Long poll of a volume: {@code GET /api/v1/volumes/{name}?waitWhilePhase=Downloading&waitSeconds=20} answers as
     * soon as the phase is no longer the given one, at the latest after {@code waitSeconds} (default 20, max 60).
     */
    public static final String WAIT_WHILE_PHASE = "waitWhilePhase";
    public static final String WAIT_SECONDS = "waitSeconds";
    /**
     * {@code DELETE /api/v1/volumes/{name}?ownerUid=U} (and domains): deletes only when the object was created for
     * owner {@code U} (or recorded no owner); another owner's object is left alone with
     * {@link AgentErrorReasons#OWNED_BY_ANOTHER}.
     */
    public static final String OWNER_UID = "ownerUid";

    private AgentPaths() {
    }

    public static String volume(String name) {
        return VOLUMES + "/" + name;
    }

    public static String snapshot(String name) {
        return SNAPSHOTS + "/" + name;
    }

    /** {@code POST} a {@link RestoreRequest}: the volume's content replaced by a snapshot's; answers the {@link VolumeStatus}. */
    public static String volumeRestore(String name) {
        return volume(name) + "/restore";
    }

    /** {@code PUT} a {@link CloneRequest}: the volume created as a copy of a volume or snapshot; answers its {@link VolumeStatus}. */
    public static String volumeClone(String name) {
        return volume(name) + "/clone";
    }

    public static String network(String name) {
        return NETWORKS + "/" + name;
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

    /**
     * WebSocket: the running domain's serial console, bytes both ways (binary frames; text frames are taken as
     * UTF-8). One client at a time per console (QEMU's socket serves one); 404 for a domain this agent did not define,
     * 409 {@link AgentErrorReasons#CONSOLE_UNAVAILABLE} while it does not run.
     */
    public static String domainConsole(String name) {
        return domain(name) + CONSOLE_SUFFIX;
    }

    /** WebSocket: the running domain's VNC server (RFB, binary frames); 409 when its definition has no VNC. */
    public static String domainVnc(String name) {
        return domain(name) + VNC_SUFFIX;
    }

    public static final String CONSOLE_SUFFIX = "/console";
    public static final String VNC_SUFFIX = "/vnc";

    public static String cachePin(String catalogImage) {
        return CACHE_PINS + "/" + catalogImage;
    }

    public static String cacheImage(String sha256) {
        return CACHE_IMAGES + "/" + sha256;
    }
}
