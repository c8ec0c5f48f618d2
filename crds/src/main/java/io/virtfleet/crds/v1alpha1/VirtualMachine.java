package io.virtfleet.crds.v1alpha1;

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
}
