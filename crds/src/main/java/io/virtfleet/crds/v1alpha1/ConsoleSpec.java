package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * What consoles the VM offers besides its serial console (always there). Users reach both through the Kubernetes
 * API's subresources {@code virtualmachines/console} and {@code virtualmachines/vnc}, never through a host address.
 */
public class ConsoleSpec {
    @Default("false")
    @JsonPropertyDescription("A VNC display (graphical console), reached with 'kubectl virtfleet vnc NAME'; applies at the"
            + " next start of the guest. On the node it listens only on a UNIX socket, never on a network address.")
    private Boolean vnc;

    public ConsoleSpec() {
    }

    public ConsoleSpec(Boolean vnc) {
        this.vnc = vnc;
    }

    public Boolean getVnc() {
        return vnc;
    }

    public void setVnc(Boolean vnc) {
        this.vnc = vnc;
    }
}
