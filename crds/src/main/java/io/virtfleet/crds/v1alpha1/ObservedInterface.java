package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** An address libvirt holds for one of the VM's NICs. */
public class ObservedInterface {
    @Size(max = 17)
    @JsonPropertyDescription("The NIC's MAC address.")
    private String mac;

    @Size(max = 45)
    @JsonPropertyDescription("The address, without prefix.")
    private String ip;

    @Size(max = 16)
    @JsonPropertyDescription("static (enforced by the NIC's anti-spoofing filter), dhcp-lease (the libvirt network's "
            + "DHCP server) or guest-agent.")
    private String source;

    public ObservedInterface() {
    }

    public ObservedInterface(String mac, String ip, String source) {
        this.mac = mac;
        this.ip = ip;
        this.source = source;
    }

    public String getMac() { return mac; }
    public void setMac(String mac) { this.mac = mac; }
    public String getIp() { return ip; }
    public void setIp(String ip) { this.ip = ip; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
}
