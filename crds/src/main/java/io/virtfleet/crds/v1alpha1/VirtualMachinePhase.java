package io.virtfleet.crds.v1alpha1;

/** Human-readable summary of a VM's state; machines read the conditions. */
public enum VirtualMachinePhase {
    Pending, Provisioning, Starting, Running, Paused, Stopped, Reprovisioning, Failed
}
