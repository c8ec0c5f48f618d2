package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** An empty raw disk attached to the VM. */
public class DataDisk {
    @Required
    @ValidationRule(value = Patterns.POSITIVE_QUANTITY_RULE, message = "size must be a positive quantity")
    @JsonPropertyDescription("Size of the disk (e.g. 50Gi).")
    private Quantity size;

    @Required
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
