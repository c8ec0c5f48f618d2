package io.virtfleet.crds.v1alpha1;

/** Human-readable summary of a snapshot's or restore's progress (KubeVirt's values); machines read the conditions. */
public enum SnapshotPhase {
    Pending, InProgress, Succeeded, Failed
}
