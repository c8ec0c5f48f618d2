package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** A NIC on a host bridge or a VirtualNetwork, with a static IPv4 address or DHCP. */
@ValidationRule(value = "has(self.bridge) != has(self.network)", message = "set exactly one of bridge and network")
@ValidationRule(value = "has(self.addressing) && self.addressing == 'DHCP' ? !has(self.ip) : has(self.ip)",
        message = "Static addressing needs ip; DHCP takes none")
public class NetworkInterface {
    @Size(max = 15)
    @Pattern(Patterns.BRIDGE)
    @JsonPropertyDescription("Host bridge the NIC is attached to (one the TenantPolicy allows).")
    private String bridge;

    @Size(max = 63)
    @Pattern(Patterns.NETWORK_NAME)
    @JsonPropertyDescription("VirtualNetwork the NIC joins (one the TenantPolicy allows), instead of a bridge.")
    private String network;

    @JsonPropertyDescription("Static (default: ip below) or DHCP (the guest asks the network's DHCP server).")
    private Addressing addressing;

    @Size(max = 18)
    @Pattern(Patterns.IPV4_CIDR)
    @JsonPropertyDescription("IPv4 address in CIDR form, e.g. 10.0.0.5/24 (Static addressing).")
    private String ip;

    @JsonPropertyDescription("Traffic filtering: anti-spoofing on by default, plus rules.")
    private NicFirewall firewall;

    /** How the guest gets its address. */
    public enum Addressing { Static, DHCP }

    public String getNetwork() { return network; }
    public void setNetwork(String network) { this.network = network; }
    public Addressing getAddressing() { return addressing; }
    public void setAddressing(Addressing addressing) { this.addressing = addressing; }
    public NicFirewall getFirewall() { return firewall; }
    public void setFirewall(NicFirewall firewall) { this.firewall = firewall; }

    @Size(max = 15)
    @Pattern(Patterns.IPV4)
    @JsonPropertyDescription("IPv4 gateway.")
    private String gateway;

    @Size(max = 8)
    @ValidationRule(value = Patterns.IPV4_LIST_RULE, message = "dns entries must be IPv4 addresses")
    @JsonPropertyDescription("DNS servers.")
    private List<@Size(max = 15) String> dns;

    @JsonPropertyDescription("Whether the default route goes through this NIC (default: only the first NIC).")
    private Boolean defaultRoute;

    @Size(max = 17)
    @Pattern(Patterns.MAC)
    @JsonPropertyDescription("MAC address; default be:ef: followed by the IPv4 octets in hex (Static), or one derived "
            + "from the VM and the NIC's position (DHCP).")
    private String mac;

    public String getBridge() {
        return bridge;
    }

    public void setBridge(String bridge) {
        this.bridge = bridge;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public String getGateway() {
        return gateway;
    }

    public void setGateway(String gateway) {
        this.gateway = gateway;
    }

    public List<String> getDns() {
        return dns;
    }

    public void setDns(List<String> dns) {
        this.dns = dns;
    }

    public Boolean getDefaultRoute() {
        return defaultRoute;
    }

    public void setDefaultRoute(Boolean defaultRoute) {
        this.defaultRoute = defaultRoute;
    }

    public String getMac() {
        return mac;
    }

    public void setMac(String mac) {
        this.mac = mac;
    }
}
