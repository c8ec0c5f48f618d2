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

/** Puts a VirtualMachineSnapshot's content back into its VM's volumes, after KubeVirt's VirtualMachineRestore. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ValidationRule(value = Patterns.NAME_RULE, message = "metadata.name must match " + Patterns.NAME)
@ShortNames({"vfrestore"})
@Categories({"virtfleet"})
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"Overwrites a VirtualMachine's root "
        + "volume with a VirtualMachineSnapshot of it. Carried out only while the VM has runStrategy Halted and its "
        + "domain is off; refused otherwise (Ready=False, reason VirtualMachineNotStopped) with nothing changed. "
        + "Short name vfrestore.\"}")
@AdditionalPrinterColumn(name = "TARGET", jsonPath = ".spec.target.name", priority = 1)
@AdditionalPrinterColumn(name = "SNAPSHOT", jsonPath = ".spec.virtualMachineSnapshotName", priority = 1)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "COMPLETE", jsonPath = ".status.complete", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualMachineRestore extends CustomResource<VirtualMachineRestoreSpec, VirtualMachineRestoreStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("Which VM gets which snapshot back; cannot change.")
    public VirtualMachineRestoreSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the restore, written only by the operator.")
    public VirtualMachineRestoreStatus getStatus() {
        return super.getStatus();
    }
}
