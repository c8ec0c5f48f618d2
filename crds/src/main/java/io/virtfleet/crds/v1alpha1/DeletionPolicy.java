package io.virtfleet.crds.v1alpha1;

/** What happens to a root volume's data on its node when the RootVolume object is deleted. */
public enum DeletionPolicy {
    /** The agent deletes the volume (default). */
    Delete,
    /** The volume stays on the node; only the Kubernetes object goes. */
    Retain
}
