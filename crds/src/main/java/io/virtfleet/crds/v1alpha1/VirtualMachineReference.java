package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A VirtualMachine in the same namespace, named like KubeVirt's TypedLocalObjectReference (kind + name). */
public class VirtualMachineReference {
    @Required
    @Size(max = 32)
    @Pattern("^VirtualMachine$")
    @JsonPropertyDescription("Always VirtualMachine (the only kind with volumes to snapshot).")
    private String kind = "VirtualMachine";

    @Required
    @Size(max = 253)
    @Pattern(Patterns.NAME)
    @JsonPropertyDescription("Name of a VirtualMachine in the same namespace.")
    private String name;

    public VirtualMachineReference() {
    }

    public VirtualMachineReference(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
