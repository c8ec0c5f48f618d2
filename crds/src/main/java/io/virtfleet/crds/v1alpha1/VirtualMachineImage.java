package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

/**
 * An image of the platform's catalogue: a name for a URL, digest, format and credentials that RootVolumes of the
 * selected namespaces name instead of a URL. Cluster-scoped like VirtualNetwork, because the platform team owns it.
 * Named VirtualMachineImage (short name vfimg): KubeVirt and CDI own "DataSource", "DataVolume" and their short names.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"vfimg"})
@Categories({"virtfleet"})
@ValidationRule(value = "self.metadata.name.matches(r'" + Patterns.CATALOG_IMAGE_NAME + "')",
        message = "metadata.name must be a DNS label-like name of at most 63 characters (a-z, 0-9, '-' and '.')")
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"A base image of the platform's catalogue "
        + "(URL, SHA-256, format, credentials) that RootVolumes in the selected namespaces name by spec.image.catalog; "
        + "optionally prefetched and pinned on the nodes a selector picks. Cluster-scoped, for the platform team. Short "
        + "name vfimg.\"}")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url")
@AdditionalPrinterColumn(name = "FORMAT", jsonPath = ".spec.format", priority = 1)
@AdditionalPrinterColumn(name = "CACHED", jsonPath = ".status.cachedNodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "SHA256", jsonPath = ".status.sha256", priority = 1)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualMachineImage extends CustomResource<VirtualMachineImageSpec, VirtualMachineImageStatus> {
    @Override
    @JsonPropertyDescription("The image, who may use it, and where it is prefetched.")
    public VirtualMachineImageSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Which nodes cache the image and how big it is there, written only by the operator.")
    public VirtualMachineImageStatus getStatus() {
        return super.getStatus();
    }
}
