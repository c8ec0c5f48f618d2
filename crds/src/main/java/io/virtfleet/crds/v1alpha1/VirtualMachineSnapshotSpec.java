package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What to capture: the volumes of one VM of this namespace, crash-consistent (as if its power were cut). */
// field by field: an object comparison has no cost bound the API server accepts
@ValidationRule(value = "self.source.name == oldSelf.source.name", message = "a snapshot's spec cannot change: create another snapshot")
public class VirtualMachineSnapshotSpec {
    @Required
    @JsonPropertyDescription("The VirtualMachine whose root volume is captured.")
    private VirtualMachineReference source;

    public VirtualMachineSnapshotSpec() {
    }

    public VirtualMachineSnapshotSpec(VirtualMachineReference source) {
        this.source = source;
    }

    public VirtualMachineReference getSource() {
        return source;
    }

    public void setSource(VirtualMachineReference source) {
        this.source = source;
    }
}
