package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;
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
// not in "all": kubectl delete all --all must not delete virtual machines (their disks go with them)
@Categories({"virtfleet"})
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"A KVM virtual machine on one hypervisor "
        + "(libvirt domain), with its root volume, data disks, NICs on host bridges and a cloud-init seed. The operator "
        + "binds it to a node and keeps the domain as spec says; status.conditions (Ready, Scheduled, VolumeReady, "
        + "DomainDefined, Running) and Events tell what happened. Short name vfvm.\"}")
@ValidationRule(value = "!has(oldSelf.spec.nodeName) || (has(self.spec.nodeName) && self.spec.nodeName == oldSelf.spec.nodeName)",
        message = "spec.nodeName cannot change or be removed once set: the VM's disks live on that node")
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.ipAddresses[0]")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "VCPUS", jsonPath = ".spec.vcpus", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "MEMORY", jsonPath = ".spec.memory", priority = 1)
@AdditionalPrinterColumn(name = "IMAGE", jsonPath = ".spec.rootVolume.template.image.url", priority = 1)
@AdditionalPrinterColumn(name = "ROOTVOLUME", jsonPath = ".spec.rootVolume.name", priority = 1)
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
