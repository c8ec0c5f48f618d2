package io.virtfleet.crds.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * How far vcpus and memory may change while the VM runs (after KubeVirt's {@code liveUpdateFeatures} with
 * {@code cpu.maxSockets} and {@code memory.maxGuest}; here a flat vCPU count and the guest memory, named after
 * {@code vcpus} and {@code memory}). Changing these maxima needs a restart.
 */
// maxLength on the int-or-string quantity bounds what the API server assumes for its CEL rule (the generator has no annotation for it)
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"maxMemory\":{\"maxLength\":64}}}")
public class LiveUpdate {
    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("Most vCPUs the running VM may get by hot-plug; spec.vcpus must not exceed it. Empty: vcpus.")
    private Integer maxVcpus;

    @ValidationRule(value = Patterns.POSITIVE_QUANTITY_RULE, message = "maxMemory must be a positive quantity")
    @JsonPropertyDescription("Most memory the running VM may get through its balloon; spec.memory must not exceed it. "
            + "Empty: memory.")
    private Quantity maxMemory;

    public Integer getMaxVcpus() {
        return maxVcpus;
    }

    public void setMaxVcpus(Integer maxVcpus) {
        this.maxVcpus = maxVcpus;
    }

    public Quantity getMaxMemory() {
        return maxMemory;
    }

    public void setMaxMemory(Quantity maxMemory) {
        this.maxMemory = maxMemory;
    }
}
