package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** A NIC on a host bridge with a static IPv4 address. */
public class NetworkInterface {
    @Required
    @Size(max = 15)
    @Pattern(Patterns.BRIDGE)
    @JsonPropertyDescription("Host bridge the NIC is attached to.")
    private String bridge;

    @Required
    @Size(max = 18)
    @Pattern(Patterns.IPV4_CIDR)
    @JsonPropertyDescription("IPv4 address in CIDR form, e.g. 10.0.0.5/24.")
    private String ip;

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
    @JsonPropertyDescription("MAC address; default be:ef: followed by the IPv4 octets in hex.")
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
