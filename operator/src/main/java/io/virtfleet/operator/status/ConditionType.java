package io.virtfleet.operator.status;

/** The fixed vocabulary of condition types on VirtFleet resources. */
public enum ConditionType {
    /** The object is bound to a node. */
    Scheduled,
    /** The node's agent holds the verified base image. */
    ImageCached,
    /** The volume holds the image's content. */
    Populated,
    /** The VM's root volume is Ready. */
    VolumeReady,
    /** The libvirt domain is defined on the node. */
    DomainDefined,
    /** The libvirt domain is running. */
    Running,
    /** The domain's definition changed (vcpus, memory, disks, NICs...) while it ran; a restart applies it. */
    RestartRequired,
    /** The node's agent has not answered its health probe for longer than the threshold. */
    NodeUnreachable,
    /** The object is what its spec asks for; the condition GitOps tools read. */
    Ready
}
