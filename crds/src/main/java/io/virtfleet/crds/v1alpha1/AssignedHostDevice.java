package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * A host device the operator assigned to the VM on its node: kept while the VM exists, so an operator restart never
 * reshuffles devices between VMs.
 */
public class AssignedHostDevice {
    @Size(max = 63)
    @JsonPropertyDescription("The device's name in spec.hostDevices.")
    private String name;

    @Size(max = 253)
    @JsonPropertyDescription("The resource name it was asked for.")
    private String resourceName;

    @Size(max = 12)
    @JsonPropertyDescription("PCI address of the device on the VM's node (dddd:bb:ss.f).")
    private String address;

    public AssignedHostDevice() {
    }

    public AssignedHostDevice(String name, String resourceName, String address) {
        this.name = name;
        this.resourceName = resourceName;
        this.address = address;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getResourceName() {
        return resourceName;
    }

    public void setResourceName(String resourceName) {
        this.resourceName = resourceName;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }
}
