package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which VM gets which snapshot's content back; carried out only while the VM is Halted and its domain off. */
// field by field: an object comparison has no cost bound the API server accepts
@ValidationRule(value = "self.target.name == oldSelf.target.name && self.virtualMachineSnapshotName == oldSelf.virtualMachineSnapshotName", message = "a restore's spec cannot change: create another restore")
public class VirtualMachineRestoreSpec {
    @Required
    @JsonPropertyDescription("The VirtualMachine whose root volume is overwritten; it must be the snapshot's source.")
    private VirtualMachineReference target;

    @Required
    @Size(max = 253)
    @Pattern(Patterns.NAME)
    @JsonPropertyDescription("A VirtualMachineSnapshot of the target in the same namespace.")
    private String virtualMachineSnapshotName;

    public VirtualMachineReference getTarget() {
        return target;
    }

    public void setTarget(VirtualMachineReference target) {
        this.target = target;
    }

    public String getVirtualMachineSnapshotName() {
        return virtualMachineSnapshotName;
    }

    public void setVirtualMachineSnapshotName(String virtualMachineSnapshotName) {
        this.virtualMachineSnapshotName = virtualMachineSnapshotName;
    }
}
