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

/** The root disk of a VM on one host: a volume populated from a base image. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ValidationRule(value = Patterns.NAME_RULE, message = "metadata.name must match " + Patterns.NAME)
@ShortNames({"vfrv"})
// not in "all": kubectl delete all --all must not delete volumes and their data
@Categories({"virtfleet"})
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"The root disk of a VM on one hypervisor: "
        + "a volume in a libvirt storage pool (an LVM volume group in production) populated from a base image that the "
        + "node's agent downloads once and verifies by SHA-256. Bound to one node for life; a new reprovisionToken "
        + "re-populates it. Short name vfrv.\"}")
@ValidationRule(value = "!has(oldSelf.spec.nodeName) || (has(self.spec.nodeName) && self.spec.nodeName == oldSelf.spec.nodeName)",
        message = "spec.nodeName cannot change or be removed once set: the volume lives on that node")
@ValidationRule(value = "has(self.spec.storage) == has(oldSelf.spec.storage) && (!has(self.spec.storage) || self.spec.storage == oldSelf.spec.storage)",
        message = "spec.storage cannot change: create a new RootVolume in the other pool")
@ValidationRule(value = "has(self.spec.source) == has(oldSelf.spec.source)",
        message = "spec.source cannot be added or removed: create another RootVolume")
@ValidationRule(value = "!has(self.spec.image) || !has(oldSelf.spec.image) || self.spec.image.url == oldSelf.spec.image.url || (has(self.spec.reprovisionToken) "
        + "&& (!has(oldSelf.spec.reprovisionToken) || self.spec.reprovisionToken != oldSelf.spec.reprovisionToken))",
        message = "spec.image.url changes only together with a new spec.reprovisionToken (which re-populates the volume)")
@ValidationRule(value = "(has(self.spec.provisioning) ? self.spec.provisioning : 'Copy') == (has(oldSelf.spec.provisioning) "
        + "? oldSelf.spec.provisioning : 'Copy') || (has(self.spec.reprovisionToken) "
        + "&& (!has(oldSelf.spec.reprovisionToken) || self.spec.reprovisionToken != oldSelf.spec.reprovisionToken))",
        message = "spec.provisioning changes only together with a new spec.reprovisionToken (which re-creates the volume)")
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "DEVICE", jsonPath = ".status.devicePath")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "SIZE", jsonPath = ".spec.size", priority = 1)
@AdditionalPrinterColumn(name = "IMAGE", jsonPath = ".spec.image.url", priority = 1)
@AdditionalPrinterColumn(name = "BYTES-DONE", jsonPath = ".status.bytesDone", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "BYTES-TOTAL", jsonPath = ".status.bytesTotal", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RootVolume extends CustomResource<RootVolumeSpec, RootVolumeStatus> implements Namespaced {
    // Overridden only to describe spec and status for kubectl explain (the generator reads the getters' descriptions).
    @Override
    @JsonPropertyDescription("Desired state of the root volume; the operator makes its node match it.")
    public RootVolumeSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the root volume, written only by the operator.")
    public RootVolumeStatus getStatus() {
        return super.getStatus();
    }
}
