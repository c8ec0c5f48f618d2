package io.virtfleet.agent.contract;

/** How a volume gets the image's data ({@link VolumeRequest#provisioning()}); null in a request means {@link #Copy}. */
public enum VolumeProvisioning {
    /** The image converted in full into a raw volume of its own. */
    Copy,
    /**
     * A qcow2 overlay whose backing file is the agent's own verified cache entry; the entry stays pinned in the cache
     * while the volume exists. File-based pools only ({@link AgentErrorReasons#PROVISIONING_NOT_SUPPORTED} otherwise).
     */
    Overlay
}
