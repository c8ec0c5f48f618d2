package io.virtfleet.operator.status;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

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
    /**
     * The object is being deleted and what it has on its node cannot be removed yet (reason NodeUnreachable,
     * VolumeInUse or the agent's refusal): the finalizer stays until it can, or until an admin releases it with the
     * annotation {@code virtfleet.io/release-finalizer}. Never set on an object that is not being deleted.
     */
    DeletionBlocked,
    /**
     * The object is usable as asked: a VM runs (a halted or stopped VM is not Ready, as in KubeVirt), a volume is
     * populated; the condition {@code kubectl wait} and GitOps tools read.
     */
    Ready;

    /**
     * What only the node's agent can tell (directly, or through the RootVolume's own mirror of it): Unknown while
     * that agent does not answer. Scheduled (a binding recorded in the API) and NodeUnreachable itself stay known.
     */
    public static final Set<ConditionType> OBSERVED_ON_NODE = Collections.unmodifiableSet(EnumSet.of(ImageCached,
            Populated, VolumeReady, DomainDefined, Running, RestartRequired));
}
