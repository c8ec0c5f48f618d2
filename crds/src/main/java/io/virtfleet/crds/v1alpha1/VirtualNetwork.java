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
 * A libvirt network realised on the hypervisors a selector picks. Cluster-scoped like TenantPolicy: a network is host
 * infrastructure the platform team owns, and tenants join it only where a TenantPolicy lists it. Named VirtualNetwork
 * (short name vfnet) beside VirtualMachine, and not "Network", which reads as the cluster's own pod network.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"vfnet"})
@Categories({"virtfleet"})
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "metadata.name must be at most 63 characters")
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"description\":\"A libvirt network (bridge, forward mode, "
        + "IPv4 address, DHCP range, DNS) that the host agents of the selected nodes define and start. Cluster-scoped, "
        + "for the platform team; VirtualMachine NICs join it by name where a TenantPolicy allows. Short name vfnet.\"}")
@AdditionalPrinterColumn(name = "MODE", jsonPath = ".spec.forwardMode", priority = 1)
@AdditionalPrinterColumn(name = "BRIDGE", jsonPath = ".spec.bridge", priority = 1)
@AdditionalPrinterColumn(name = "IPV4", jsonPath = ".spec.ipv4", priority = 1)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualNetwork extends CustomResource<VirtualNetworkSpec, VirtualNetworkStatus> {
    @Override
    @JsonPropertyDescription("The network and the nodes that realise it.")
    public VirtualNetworkSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Whether each selected node runs the network, written only by the operator.")
    public VirtualNetworkStatus getStatus() {
        return super.getStatus();
    }
}
