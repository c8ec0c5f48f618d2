package io.virtfleet.crds.v1alpha1;

/** Which power state the operator keeps a VM in. */
public enum RunStrategy {
    Always, Halted, Manual, Paused
}
