package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "DEVICE", jsonPath = ".status.devicePath")
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
