package io.virtfleet.operator.status;

/** Reasons the operator itself gives in conditions and Events (agent failures carry the agent's reason). */
public final class Reason {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String NO_NODE_AVAILABLE = "NoNodeAvailable";
    public static final String NODE_PINNED = "NodePinned";
    public static final String BOUND = "Bound";
    public static final String CACHE_AFFINITY = "CacheAffinity";
    public static final String MOST_FREE_CAPACITY = "MostFreeCapacity";
    public static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
    public static final String NODE_REACHABLE = "NodeReachable";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String REPROVISIONING = "Reprovisioning";
    public static final String WAITING_FOR_DOMAIN_STOP = "WaitingForDomainStop";
    public static final String HARDWARE_CHANGED = "HardwareChanged";
    public static final String DEFINITION_APPLIED = "DefinitionApplied";
    public static final String MANUAL = "Manual";
    public static final String RETAINED = "Retained";
    public static final String NODE_UNREACHABLE = "NodeUnreachable";
    public static final String NODE_MISMATCH = "NodeMismatch";
    public static final String ROOT_VOLUME_NOT_FOUND = "RootVolumeNotFound";
    public static final String ROOT_VOLUME_NOT_READY = "RootVolumeNotReady";
    public static final String IN_PROGRESS = "InProgress";
    public static final String DOWNLOADING = "Downloading";
    public static final String POPULATING = "Populating";
    public static final String POPULATED = "Populated";
    public static final String IMAGE_CACHED = "ImageCached";
    public static final String VOLUME_READY = "VolumeReady";
    public static final String DOMAIN_DEFINED = "DomainDefined";
    public static final String DOMAIN_RUNNING = "DomainRunning";
    public static final String DOMAIN_STOPPED = "DomainStopped";
    public static final String STARTING = "Starting";
    public static final String STOPPING = "Stopping";

    private Reason() {
    }
}
