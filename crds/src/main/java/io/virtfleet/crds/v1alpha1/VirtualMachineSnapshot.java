package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

/** A crash-consistent snapshot of a VM's volumes, after KubeVirt's VirtualMachineSnapshot. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ValidationRule(value = Patterns.NAME_RULE, message = "metadata.name must match " + Patterns.NAME)
@ShortNames({"vfsnap"})
@Categories({"virtfleet"})
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"A crash-consistent snapshot of a "
        + "VirtualMachine's root volume on its node (as if the power were cut; no guest freeze). Restore it with a "
        + "VirtualMachineRestore while the VM is Halted; deleting it removes its data from the node. Short name vfsnap.\"}")
@AdditionalPrinterColumn(name = "SOURCE", jsonPath = ".spec.source.name", priority = 1)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "READYTOUSE", jsonPath = ".status.readyToUse", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualMachineSnapshot extends CustomResource<VirtualMachineSnapshotSpec, VirtualMachineSnapshotStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("What to capture; cannot change.")
    public VirtualMachineSnapshotSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the snapshot, written only by the operator.")
    public VirtualMachineSnapshotStatus getStatus() {
        return super.getStatus();
    }
}
