package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;
import java.util.List;

/** Which selected nodes run the network; Ready when all of them do. */
// conditions as metav1.Condition lists are declared: one per type (a list map keyed by type), bounded
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class VirtualNetworkStatus extends ConditionedStatus {
    @Size(max = 1024)
    @JsonPropertyDescription("One entry per selected node.")
    private List<NodeNetwork> nodes;

    /** The network on one node. */
    public static class NodeNetwork {
        @Size(max = 253)
        @JsonPropertyDescription("The node.")
        private String nodeName;

        @JsonPropertyDescription("Whether libvirt runs the network on the node.")
        private Boolean active;

        @Size(max = 64)
        @JsonPropertyDescription("Why not, as the agent or the operator says (e.g. ForwardModeNotAllowed, AgentUnreachable).")
        private String reason;

        @Size(max = 1024)
        @JsonPropertyDescription("What the agent or the operator said, for a person.")
        private String message;

        public NodeNetwork() {
        }

        public NodeNetwork(String nodeName, boolean active, String reason, String message) {
            this.nodeName = nodeName;
            this.active = active;
            this.reason = reason;
            this.message = message;
        }

        public String getNodeName() { return nodeName; }
        public void setNodeName(String nodeName) { this.nodeName = nodeName; }
        public Boolean getActive() { return active; }
        public void setActive(Boolean active) { this.active = active; }
        public String getReason() { return reason; }
        public void setReason(String reason) { this.reason = reason; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    public List<NodeNetwork> getNodes() { return nodes; }
    public void setNodes(List<NodeNetwork> nodes) { this.nodes = nodes; }
}
