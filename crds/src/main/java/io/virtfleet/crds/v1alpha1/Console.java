package io.virtfleet.crds.v1alpha1;

import io.fabric8.generator.annotation.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How to reach the VM's consoles on its node. */
public class Console {
    @Size(max = 1024)
    @JsonPropertyDescription("Serial console, e.g. 'virsh console <domain>' on the node.")
    private String serial;

    @Size(max = 512)
    @JsonPropertyDescription("VNC address host:port when VNC is enabled.")
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
