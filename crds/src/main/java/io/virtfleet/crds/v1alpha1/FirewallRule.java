package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One traffic rule of a NIC, rendered into a libvirt nwfilter behind the anti-spoofing chains. */
@ValidationRule(value = "!has(self.portStart) || self.protocol == 'tcp' || self.protocol == 'udp'",
        message = "ports apply to tcp and udp only")
@ValidationRule(value = "!has(self.portEnd) || (has(self.portStart) && self.portEnd >= self.portStart)",
        message = "portEnd needs portStart and must not be below it")
public class FirewallRule {
    @Required
    @JsonPropertyDescription("in (towards the guest), out (from the guest) or inout.")
    private Direction direction;

    @Required
    @JsonPropertyDescription("tcp, udp, icmp or all (IP-layer protocols only).")
    private Protocol protocol;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("First destination port (tcp, udp).")
    private Integer portStart;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Last destination port; default portStart.")
    private Integer portEnd;

    @Size(max = 16)
    @JsonPropertyDescription("Remote IPv4 ranges (source for in, destination for out); none matches any address.")
    private List<@Size(max = 18) @Pattern(Patterns.IPV4_CIDR) String> cidrs;

    @Required
    @JsonPropertyDescription("accept, drop or reject.")
    private Action action;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Order among the NIC's rules, lower first (1..1000, default 500); always after anti-spoofing.")
    private Integer priority;

    /** Rule direction, in libvirt's words. */
    public enum Direction { in, out, inout }

    /** IP-layer protocols. */
    public enum Protocol { tcp, udp, icmp, all }

    /** What a matching packet gets. */
    public enum Action { accept, drop, reject }

    public Direction getDirection() { return direction; }
    public void setDirection(Direction direction) { this.direction = direction; }
    public Protocol getProtocol() { return protocol; }
    public void setProtocol(Protocol protocol) { this.protocol = protocol; }
    public Integer getPortStart() { return portStart; }
    public void setPortStart(Integer portStart) { this.portStart = portStart; }
    public Integer getPortEnd() { return portEnd; }
    public void setPortEnd(Integer portEnd) { this.portEnd = portEnd; }
    public List<String> getCidrs() { return cidrs; }
    public void setCidrs(List<String> cidrs) { this.cidrs = cidrs; }
    public Action getAction() { return action; }
    public void setAction(Action action) { this.action = action; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer priority) { this.priority = priority; }
}
