package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A host PCI device (a GPU, a NIC function) the VM asks for by the platform's resource name. */
public class HostDeviceRequest {
    @Required
    @Size(max = 63)
    @Pattern(Patterns.HOST_DEVICE_NAME)
    @JsonPropertyDescription("Name of the device within this VM (a DNS label, e.g. gpu0); status.hostDevices reports under it.")
    private String name;

    @Required
    @Size(max = 253)
    @Pattern(Patterns.HOST_DEVICE_RESOURCE)
    @JsonPropertyDescription("The platform's resource name of the device model, e.g. gpu.example.com/t4; a TenantPolicy "
            + "must allow it for the namespace and a node's agent must offer a free one.")
    private String resourceName;

    public HostDeviceRequest() {
    }

    public HostDeviceRequest(String name, String resourceName) {
        this.name = name;
        this.resourceName = resourceName;
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
}
