package io.virtfleet.crds.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** Totals per namespace; an unset figure is not limited by this policy. */
@SchemaCustomizer(value = DeepMergePatch.class,
        input = "{\"properties\":{\"memory\":{\"maxLength\":64},\"storage\":{\"maxLength\":64}}}")
public class TenantQuota {
    @Min(0)
    @Max(1048576)
    @JsonPropertyDescription("Sum of spec.vcpus over the namespace's VirtualMachines.")
    private Integer vcpus;

    @Size(max = 64)
    @ValidationRule(value = Patterns.NON_NEGATIVE_QUANTITY_RULE, message = "memory must be a quantity, e.g. 64Gi")
    @JsonPropertyDescription("Sum of spec.memory over the namespace's VirtualMachines, e.g. 64Gi.")
    private Quantity memory;

    @Size(max = 64)
    @ValidationRule(value = Patterns.NON_NEGATIVE_QUANTITY_RULE, message = "storage must be a quantity, e.g. 1Ti")
    @JsonPropertyDescription("Sum of RootVolume sizes (templates included) and data disk sizes in the namespace, e.g. 1Ti.")
    private Quantity storage;

    public TenantQuota() {
    }

    public TenantQuota(Integer vcpus, Quantity memory, Quantity storage) {
        this.vcpus = vcpus;
        this.memory = memory;
        this.storage = storage;
    }

    public Integer getVcpus() {
        return vcpus;
    }

    public void setVcpus(Integer vcpus) {
        this.vcpus = vcpus;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }

    public Quantity getStorage() {
        return storage;
    }

    public void setStorage(Quantity storage) {
        this.storage = storage;
    }
}
