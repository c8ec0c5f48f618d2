package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** An empty raw disk attached to the VM. */
// maxLength on the int-or-string quantity bounds what the API server assumes for its CEL rule (the generator has no annotation for it)
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"size\":{\"maxLength\":64}}}")
public class DataDisk {
    @Required
    @ValidationRule(value = Patterns.POSITIVE_QUANTITY_RULE, message = "size must be a positive quantity")
    @JsonPropertyDescription("Size of the disk (e.g. 50Gi).")
    private Quantity size;

    @Required
    @Size(max = 3)
    @Pattern("^vd[b-z]$")
    @JsonPropertyDescription("Guest device name, vdb to vdz (vda is the root disk).")
    private String device;

    public Quantity getSize() {
        return size;
    }

    public void setSize(Quantity size) {
        this.size = size;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }
}
