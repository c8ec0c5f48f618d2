package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What tenants in the selected namespaces may use on the hypervisors: bridges, storage pools, kernel directories,
 * image sources (and the platform's S3 credentials), and a quota. Cluster-scoped, written by the platform team only:
 * a tenant cannot widen its own allowances, like ResourceQuota meets a ValidatingAdmissionPolicyBinding.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"vftp"})
@Categories({"virtfleet"})
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"What tenants in the namespaces it selects may "
        + "use on the hypervisors: host bridges, storage pools, kernel boot directories, image sources (and the "
        + "platform's S3 credentials), and a quota. Cluster-scoped, for the platform team; several policies selecting a "
        + "namespace add up. Short name vftp.\"}")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TenantPolicy extends CustomResource<TenantPolicySpec, TenantPolicyStatus> {
    @Override
    @JsonPropertyDescription("Which namespaces this policy applies to and what it allows them.")
    public TenantPolicySpec getSpec() {
        return super.getSpec();
    }

    // Overridden only for kubectl explain: the generator lists status whatever the type.
    @Override
    @JsonPropertyDescription("Unused: a TenantPolicy has no status; the objects it refuses say so in their own conditions.")
    public TenantPolicyStatus getStatus() {
        return super.getStatus();
    }
}
