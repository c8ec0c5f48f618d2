package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How users reach the VM's consoles: through the Kubernetes API (the aggregated subresources
 * {@code virtualmachines/console} and {@code /vnc} of group {@code subresources.virtfleet.io}), with the plugin's
 * command and the path for other clients; never a host address.
 */
public class Console {
    @Size(max = 1024)
    @JsonPropertyDescription("How to open the serial console, e.g. 'kubectl virtfleet console web01 -n team-a'"
            + " (WebSocket subresource /apis/subresources.virtfleet.io/v1alpha1/namespaces/team-a/virtualmachines/web01/console).")
    private String serial;

    @Size(max = 1024)
    @JsonPropertyDescription("How to open the VNC display when spec.console.vnc is true and the guest runs with it,"
            + " e.g. 'kubectl virtfleet vnc web01 -n team-a' (subresource .../virtualmachines/web01/vnc).")
    private String vnc;

    public String getSerial() {
        return serial;
    }

    public void setSerial(String serial) {
        this.serial = serial;
    }

    public String getVnc() {
        return vnc;
    }

    public void setVnc(String vnc) {
        this.vnc = vnc;
    }
}
