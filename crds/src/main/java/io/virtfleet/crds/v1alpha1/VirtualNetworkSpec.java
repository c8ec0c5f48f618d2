package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** Desired state of a libvirt network. */
@ValidationRule(value = "self.forwardMode == 'bridge' ? !has(self.ipv4) && !has(self.dhcp) : has(self.ipv4)",
        message = "bridge mode takes no ipv4 or dhcp (the host bridge's network serves them); the other modes need ipv4")
public class VirtualNetworkSpec {
    @Required
    @JsonPropertyDescription("nat, route, isolated (no forwarding) or bridge (an existing host bridge); each node's "
            + "agent allows only the modes its platform configuration lists.")
    private ForwardMode forwardMode;

    @Required
    @Size(max = 15)
    @Pattern(Patterns.BRIDGE)
    @JsonPropertyDescription("Linux bridge: the one libvirt creates, or the host bridge in bridge mode; must be one "
            + "of the agent's allowed bridges.")
    private String bridge;

    @Size(max = 18)
    @Pattern(Patterns.IPV4_CIDR)
    @JsonPropertyDescription("The host's IPv4 address on the network with its prefix, e.g. 192.0.2.1/24.")
    private String ipv4;

    @JsonPropertyDescription("The address range libvirt's DHCP server hands out; none serves no DHCP.")
    private DhcpRange dhcp;

    @JsonPropertyDescription("Whether libvirt's DNS server answers on the network (default false).")
    private Boolean dns;

    @JsonPropertyDescription("Whether libvirt starts the network when the host boots (default true).")
    private Boolean autostart;

    @Size(max = 32)
    @JsonPropertyDescription("Labels a node must carry to realise the network; empty: every node with an agent.")
    private Map<String, @Size(max = 63) String> nodeSelector;

    /** libvirt's forward modes. */
    public enum ForwardMode { nat, route, isolated, bridge }

    /** First and last address handed out. */
    public static class DhcpRange {
        @Required
        @Size(max = 15)
        @Pattern(Patterns.IPV4)
        @JsonPropertyDescription("First address handed out, inside ipv4's subnet.")
        private String start;

        @Required
        @Size(max = 15)
        @Pattern(Patterns.IPV4)
        @JsonPropertyDescription("Last address handed out, inside ipv4's subnet.")
        private String end;

        public String getStart() { return start; }
        public void setStart(String start) { this.start = start; }
        public String getEnd() { return end; }
        public void setEnd(String end) { this.end = end; }
    }

    public ForwardMode getForwardMode() { return forwardMode; }
    public void setForwardMode(ForwardMode forwardMode) { this.forwardMode = forwardMode; }
    public String getBridge() { return bridge; }
    public void setBridge(String bridge) { this.bridge = bridge; }
    public String getIpv4() { return ipv4; }
    public void setIpv4(String ipv4) { this.ipv4 = ipv4; }
    public DhcpRange getDhcp() { return dhcp; }
    public void setDhcp(DhcpRange dhcp) { this.dhcp = dhcp; }
    public Boolean getDns() { return dns; }
    public void setDns(Boolean dns) { this.dns = dns; }
    public Boolean getAutostart() { return autostart; }
    public void setAutostart(Boolean autostart) { this.autostart = autostart; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
}
