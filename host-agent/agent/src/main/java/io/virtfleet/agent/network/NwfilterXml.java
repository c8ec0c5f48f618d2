package io.virtfleet.agent.network;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * Typed model of a libvirt network filter (https://libvirt.org/formatnwfilter.html): references to other filters
 * (such as {@code clean-traffic}) and IP-layer rules. Serialized by Jackson, so no value can add an element.
 */
@JacksonXmlRootElement(localName = "filter")
@JsonPropertyOrder({"name", "chain", "filterref", "rule"})
public record NwfilterXml(
        @JacksonXmlProperty(isAttribute = true) String name,
        @JacksonXmlProperty(isAttribute = true) String chain,
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "filterref") List<FilterRef> filterRefs,
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "rule") List<Rule> rules) {

    /** A reference to another filter; its parameters come from the interface's own {@code <filterref>}. */
    public record FilterRef(@JacksonXmlProperty(isAttribute = true) String filter) {
    }

    /** One rule; exactly one of the protocol elements is set. */
    @JsonPropertyOrder({"action", "direction", "priority", "tcp", "udp", "icmp", "all"})
    public record Rule(@JacksonXmlProperty(isAttribute = true) String action,
                       @JacksonXmlProperty(isAttribute = true) String direction,
                       @JacksonXmlProperty(isAttribute = true) int priority,
                       Match tcp, Match udp, Match icmp, Match all) {
    }

    /** The packet's addresses and ports; null attributes match anything. */
    @JsonPropertyOrder({"srcipaddr", "srcipmask", "dstipaddr", "dstipmask", "dstportstart", "dstportend"})
    public record Match(@JacksonXmlProperty(isAttribute = true) String srcipaddr,
                        @JacksonXmlProperty(isAttribute = true) Integer srcipmask,
                        @JacksonXmlProperty(isAttribute = true) String dstipaddr,
                        @JacksonXmlProperty(isAttribute = true) Integer dstipmask,
                        @JacksonXmlProperty(isAttribute = true) Integer dstportstart,
                        @JacksonXmlProperty(isAttribute = true) Integer dstportend) {
    }
}
