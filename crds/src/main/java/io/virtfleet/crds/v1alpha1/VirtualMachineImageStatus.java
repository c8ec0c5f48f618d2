package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;
import java.util.List;

/** Which nodes cache the image; Ready when every node the prefetch selects holds it. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class VirtualMachineImageStatus extends ConditionedStatus {
    @Size(max = 64)
    @JsonPropertyDescription("The image's SHA-256: spec.sha256, else the digest the agents verified it against.")
    private String sha256;

    @JsonPropertyDescription("How many nodes hold the image in their cache.")
    private Integer cachedNodes;

    @Size(max = 1024)
    @JsonPropertyDescription("One entry per node that caches the image or that the prefetch selects.")
    private List<NodeImage> nodes;

    /** The image on one node. */
    public static class NodeImage {
        @Size(max = 253)
        @JsonPropertyDescription("The node.")
        private String nodeName;

        @Size(max = 32)
        @JsonPropertyDescription("Cached, Downloading, Failed or Unknown (the node's agent did not answer).")
        private String state;

        @JsonPropertyDescription("Bytes the cached file takes on the node (the image in its own format).")
        private Long sizeBytes;

        @JsonPropertyDescription("true while the node's agent keeps the image from eviction for this catalogue entry.")
        private Boolean pinned;

        @Size(max = 1024)
        @JsonPropertyDescription("Why not cached, as the agent or the operator says.")
        private String message;

        public NodeImage() {
        }

        public NodeImage(String nodeName, String state, Long sizeBytes, Boolean pinned, String message) {
            this.nodeName = nodeName;
            this.state = state;
            this.sizeBytes = sizeBytes;
            this.pinned = pinned;
            this.message = message;
        }

        public String getNodeName() { return nodeName; }
        public void setNodeName(String nodeName) { this.nodeName = nodeName; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public Long getSizeBytes() { return sizeBytes; }
        public void setSizeBytes(Long sizeBytes) { this.sizeBytes = sizeBytes; }
        public Boolean getPinned() { return pinned; }
        public void setPinned(Boolean pinned) { this.pinned = pinned; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    public Integer getCachedNodes() { return cachedNodes; }
    public void setCachedNodes(Integer cachedNodes) { this.cachedNodes = cachedNodes; }
    public List<NodeImage> getNodes() { return nodes; }
    public void setNodes(List<NodeImage> nodes) { this.nodes = nodes; }
}
