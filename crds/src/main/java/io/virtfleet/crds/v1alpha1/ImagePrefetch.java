package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Where a catalogue image is downloaded before any VM asks for it, and whether it stays there. */
public class ImagePrefetch {
    @Size(max = 32)
    @JsonPropertyDescription("Labels a node must carry to receive the image; empty: every node with an agent.")
    private Map<String, @Size(max = 63) String> nodeSelector;

    @Default("true")
    @JsonPropertyDescription("true (default): the agents of the selected nodes never evict the prefetched image (it "
            + "counts against the cache budget like an image in use); false: it ages out like any other entry.")
    private Boolean pin;

    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public Boolean getPin() { return pin; }
    public void setPin(Boolean pin) { this.pin = pin; }
}
