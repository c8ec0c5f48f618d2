package io.virtfleet.operator.status;

import io.virtfleet.agent.contract.AgentErrorReasons;

/** Reasons the operator itself gives in conditions and Events (agent failures carry the agent's reason). */
public final class Reason {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String NO_NODE_AVAILABLE = "NoNodeAvailable";
    public static final String NODE_PINNED = "NodePinned";
    public static final String BOUND = "Bound";
    public static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
    /**
     * No node with known capacity has room and at least one candidate node's agent cannot report its capacity
     * (unreachable, not ready, libvirtd down): the object waits for it rather than reading "no room".
     */
    public static final String AGENT_NOT_READY = "AgentNotReady";
    public static final String NODE_REACHABLE = "NodeReachable";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String REPROVISIONING = "Reprovisioning";
    public static final String WAITING_FOR_DOMAIN_STOP = "WaitingForDomainStop";
    public static final String HARDWARE_CHANGED = "HardwareChanged";
    public static final String DEFINITION_APPLIED = "DefinitionApplied";
    /** Event: vCPUs or memory of a running VM changed live (within spec.liveUpdate's maxima), no restart. */
    public static final String HARDWARE_UPDATED = "HardwareUpdated";
    public static final String MANUAL = "Manual";
    /** Ready=False of a VM stopped because its runStrategy is Halted: settled, not running. */
    public static final String HALTED = "Halted";
    /** Ready=False of a VM paused because its runStrategy is Paused: settled, defined and started, not running. */
    public static final String PAUSED = "Paused";
    /** On the way to Paused (started first when it was stopped). */
    public static final String PAUSING = "Pausing";
    /** The Running condition of a paused domain. */
    public static final String DOMAIN_PAUSED = "DomainPaused";
    /** A new spec.restartToken: the guest is being shut down (gracefully) to be started again. */
    public static final String RESTARTING = "Restarting";
    /** The guest of a restart is off and its token recorded; the next reconcile starts it. */
    public static final String RESTARTED = "Restarted";
    public static final String RETAINED = "Retained";
    public static final String NODE_UNREACHABLE = "NodeUnreachable";
    /** A deleted VM's guest was asked to shut down (ACPI); the agent removes the domain once it is off. */
    public static final String DOMAIN_SHUTTING_DOWN = "DomainShuttingDown";
    /** The release annotation is set, the node's grace period has not run out yet. */
    public static final String RELEASE_PENDING = "ReleasePending";
    /** The release annotation cannot apply (it names another node, or the node answers). */
    public static final String RELEASE_REFUSED = "ReleaseRefused";
    /** The finalizer went without the node's cleanup; the Event names what stays on the node. */
    public static final String FINALIZER_RELEASED = "FinalizerReleased";
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
    /** An unexpected exception (a Kubernetes client error, a malformed value): JOSDK retries with backoff. */
    public static final String RECONCILE_ERROR = "ReconcileError";

    /** Tenant policy refusals; the names match the host agent's own refusals where one exists. */
    public static final String HOST_PATH_NOT_ALLOWED = AgentErrorReasons.HOST_PATH_NOT_ALLOWED;
    public static final String BRIDGE_NOT_ALLOWED = AgentErrorReasons.BRIDGE_NOT_ALLOWED;
    public static final String NETWORK_NOT_ALLOWED = AgentErrorReasons.NETWORK_NOT_ALLOWED;
    public static final String FIREWALL_OPT_OUT_NOT_ALLOWED = AgentErrorReasons.FIREWALL_OPT_OUT_NOT_ALLOWED;
    public static final String STORAGE_POOL_NOT_ALLOWED = AgentErrorReasons.POOL_NOT_ALLOWED;
    public static final String IMAGE_SOURCE_NOT_ALLOWED = AgentErrorReasons.SOURCE_NOT_ALLOWED;
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    /** {@code <vm>-root} exists and is not controlled by this VM: never used, never deleted by it. */
    public static final String ROOT_VOLUME_NAME_TAKEN = "RootVolumeNameTaken";
    /** A cloud-init Secret lacks the opt-in label. */
    public static final String SECRET_NOT_OPTED_IN = "SecretNotOptedIn";
    public static final String PLACED = "Placed";
    /** Snapshots and restores. */
    public static final String SNAPSHOT_READY = "SnapshotReady";
    public static final String SNAPSHOT_DATA_LOST = "SnapshotDataLost";
    public static final String SNAPSHOT_NOT_READY = "SnapshotNotReady";
    public static final String SNAPSHOT_OF_ANOTHER_VM = "SnapshotOfAnotherVirtualMachine";
    public static final String VIRTUAL_MACHINE_NOT_FOUND = "VirtualMachineNotFound";
    /** A restore waits: the VM must have runStrategy Halted and its domain off; nothing was changed. */
    public static final String VIRTUAL_MACHINE_NOT_STOPPED = "VirtualMachineNotStopped";
    public static final String RESTORED = "Restored";
    /** A clone's source (RootVolume or VirtualMachineSnapshot of the same namespace) is missing or not ready yet. */
    public static final String SOURCE_NOT_READY = "SourceNotReady";
    /** A clone is pinned to another node than its source's: clones are copied on the source's node only. */
    public static final String SOURCE_ON_ANOTHER_NODE = "SourceOnAnotherNode";

    /** Refusals a person must act on: they are Warning Events even when the object waits rather than fails. */
    public static final java.util.Set<String> REFUSALS = java.util.Set.of(HOST_PATH_NOT_ALLOWED, BRIDGE_NOT_ALLOWED,
            STORAGE_POOL_NOT_ALLOWED, IMAGE_SOURCE_NOT_ALLOWED, QUOTA_EXCEEDED, ROOT_VOLUME_NAME_TAKEN,
            SECRET_NOT_OPTED_IN, AgentErrorReasons.UNSAFE_IMAGE, AgentErrorReasons.IMAGE_NOT_AUTHORIZED,
            AgentErrorReasons.OWNED_BY_ANOTHER, AgentErrorReasons.EXCEEDS_HOST_CAPACITY, VIRTUAL_MACHINE_NOT_STOPPED,
            AgentErrorReasons.CROSS_NAMESPACE, AgentErrorReasons.SNAPSHOT_NOT_SUPPORTED,
            NETWORK_NOT_ALLOWED, FIREWALL_OPT_OUT_NOT_ALLOWED, AgentErrorReasons.FORWARD_MODE_NOT_ALLOWED,
            AgentErrorReasons.NETWORK_NOT_FOUND, AgentErrorReasons.HOST_DEVICE_NOT_ALLOWED,
            AgentErrorReasons.HOST_DEVICE_NOT_ASSIGNABLE);

    /** True when the status's Ready condition carries one of the {@link #REFUSALS}. */
    public static boolean isRefusal(io.virtfleet.crds.v1alpha1.ConditionedStatus status) {
        return Conditions.find(status, ConditionType.Ready).map(c -> REFUSALS.contains(c.getReason())).orElse(false);
    }

    private Reason() {
    }
}
