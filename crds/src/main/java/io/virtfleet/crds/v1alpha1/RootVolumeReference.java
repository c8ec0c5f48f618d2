package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A VM's root disk: an existing RootVolume, or a template for one the VM owns. */
@ValidationRule(value = "has(self.name) != has(self.template)", message = "set exactly one of name or template")
@ValidationRule(value = "!has(self.template) || !has(self.template.source)",
        message = "a template cannot clone: create the cloned RootVolume and name it")
public class RootVolumeReference {
    @Size(max = 253)
    @Pattern(Patterns.NAME)
    @JsonPropertyDescription("Name of a RootVolume in the same namespace.")
    private String name;

    @JsonPropertyDescription("Spec of a RootVolume the operator creates for this VM and deletes with it.")
    private RootVolumeSpec template;

    public RootVolumeReference() {
    }

    public RootVolumeReference(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public RootVolumeSpec getTemplate() {
        return template;
    }

    public void setTemplate(RootVolumeSpec template) {
        this.template = template;
    }
}
