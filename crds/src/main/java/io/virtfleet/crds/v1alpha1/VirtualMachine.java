package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A KVM virtual machine on one hypervisor. Short name vfvm: vm and vms belong to KubeVirt. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ValidationRule(value = Patterns.NAME_RULE, message = "metadata.name must match " + Patterns.NAME)
@ShortNames({"vfvm"})
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.ipAddresses[0]")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualMachine extends CustomResource<VirtualMachineSpec, VirtualMachineStatus> implements Namespaced {
    // Overridden only to describe spec and status for kubectl explain (the generator reads the getters' descriptions).
    @Override
    @JsonPropertyDescription("Desired state of the virtual machine; the operator makes its node match it.")
    public VirtualMachineSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the virtual machine, written only by the operator.")
    public VirtualMachineStatus getStatus() {
        return super.getStatus();
    }
}
