package io.virtfleet.agent.contract;

/** Where a volume is on its way to holding the image. */
public enum VolumePhase {
    Pending, Downloading, Populating, Ready, Failed
}
