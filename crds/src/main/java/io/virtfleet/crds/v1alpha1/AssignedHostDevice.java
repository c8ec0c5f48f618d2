package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * A host device the operator assigned to the VM on its node: the request (name, resource name) and the address it got.
 * Kept while the VM exists, so an operator restart never reshuffles devices between VMs.
 */
public class AssignedHostDevice extends HostDeviceRequest {
    @Size(max = 12)
    @Pattern(Patterns.PCI_ADDRESS)
    @JsonPropertyDescription("PCI address of the device on the VM's node (dddd:bb:ss.f).")
    private String address;

    public AssignedHostDevice() {
    }

    public AssignedHostDevice(String name, String resourceName, String address) {
        super(name, resourceName);
        this.address = address;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }
}
