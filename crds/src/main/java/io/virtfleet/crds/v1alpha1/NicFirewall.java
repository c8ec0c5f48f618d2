package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Traffic filtering of one NIC: anti-spoofing (libvirt clean-traffic) and the NIC's own rules. */
public class NicFirewall {
    @JsonPropertyDescription("Drop traffic with another MAC or IP than the NIC's (default true); false only where a "
            + "TenantPolicy sets firewallOptOut and the host agent allows it.")
    private Boolean antiSpoofing;

    @Size(max = 32)
    @JsonPropertyDescription("Extra rules for this NIC.")
    private List<FirewallRule> rules;

    public Boolean getAntiSpoofing() { return antiSpoofing; }
    public void setAntiSpoofing(Boolean antiSpoofing) { this.antiSpoofing = antiSpoofing; }
    public List<FirewallRule> getRules() { return rules; }
    public void setRules(List<FirewallRule> rules) { this.rules = rules; }
}
