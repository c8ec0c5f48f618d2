package io.virtfleet.crds.v1alpha1;

/** Human-readable summary of a root volume's progress; machines read the conditions. */
public enum RootVolumePhase {
    Pending, Scheduled, Downloading, Populating, Ready, Failed
}
