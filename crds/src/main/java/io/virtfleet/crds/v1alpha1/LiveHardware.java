package io.virtfleet.crds.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Objects;

/** vCPUs and memory of the running domain, as its node reports them (spec holds what was asked for). */
@SchemaCustomizer(value = DeepMergePatch.class,
        input = "{\"properties\":{\"memory\":{\"maxLength\":64},\"maxMemory\":{\"maxLength\":64}}}")
public class LiveHardware {
    @JsonPropertyDescription("vCPUs plugged into the running guest.")
    private Integer vcpus;

    @JsonPropertyDescription("Most vCPUs the running guest can take without a restart.")
    private Integer maxVcpus;

    @JsonPropertyDescription("Memory the guest has now: the balloon's actual size (follows spec.memory only as far as "
            + "the guest's balloon driver moves it).")
    private Quantity memory;

    @JsonPropertyDescription("Memory the running guest was started with: the balloon's ceiling.")
    private Quantity maxMemory;

    public Integer getVcpus() {
        return vcpus;
    }

    public void setVcpus(Integer vcpus) {
        this.vcpus = vcpus;
    }

    public Integer getMaxVcpus() {
        return maxVcpus;
    }

    public void setMaxVcpus(Integer maxVcpus) {
        this.maxVcpus = maxVcpus;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }

    public Quantity getMaxMemory() {
        return maxMemory;
    }

    public void setMaxMemory(Quantity maxMemory) {
        this.maxMemory = maxMemory;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LiveHardware that && Objects.equals(vcpus, that.vcpus)
                && Objects.equals(maxVcpus, that.maxVcpus) && Objects.equals(memory, that.memory)
                && Objects.equals(maxMemory, that.maxMemory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vcpus, maxVcpus, memory, maxMemory);
    }
}
