package io.virtfleet.agent.network;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * Typed model of the libvirt network XML the agent defines (https://libvirt.org/formatnetwork.html), serialized by
 * Jackson so every value is escaped. A null component is left out: no {@code <forward>} is an isolated network, no
 * {@code <ip>} a network without host address (bridge mode).
 */
@JacksonXmlRootElement(localName = "network")
@JsonPropertyOrder({"name", "forward", "bridge", "dns", "ip"})
public record NetworkXml(String name, Forward forward, Bridge bridge, Dns dns, Ip ip) {

    public record Forward(@JacksonXmlProperty(isAttribute = true) String mode) {
    }

    /** The Linux bridge; {@code stp}/{@code delay} only for a bridge libvirt creates. */
    public record Bridge(@JacksonXmlProperty(isAttribute = true) String name,
                         @JacksonXmlProperty(isAttribute = true) String stp,
                         @JacksonXmlProperty(isAttribute = true) String delay) {
    }

    /** {@code <dns enable='no'/>} turns dnsmasq's DNS off (DHCP keeps working). */
    public record Dns(@JacksonXmlProperty(isAttribute = true) String enable) {
    }

    @JsonPropertyOrder({"address", "prefix", "dhcp"})
    public record Ip(@JacksonXmlProperty(isAttribute = true) String address,
                     @JacksonXmlProperty(isAttribute = true) int prefix,
                     Dhcp dhcp) {
    }

    public record Dhcp(Range range) {
    }

    public record Range(@JacksonXmlProperty(isAttribute = true) String start,
                        @JacksonXmlProperty(isAttribute = true) String end) {
    }
}
