package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a snapshot, written only by the operator. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class VirtualMachineSnapshotStatus extends ConditionedStatus {
    @JsonPropertyDescription("Pending, InProgress, Succeeded or Failed.")
    private SnapshotPhase phase;

    @JsonPropertyDescription("True once every volume is captured: the snapshot can be restored or cloned.")
    private Boolean readyToUse;

    @Size(max = 253)
    @JsonPropertyDescription("The node holding the snapshot's data (the VM's volume's node).")
    private String nodeName;

    @Size(max = 16)
    @JsonPropertyDescription("The captured volumes, with size and time.")
    private List<SnapshotVolume> volumes = new ArrayList<>();

    public SnapshotPhase getPhase() {
        return phase;
    }

    public void setPhase(SnapshotPhase phase) {
        this.phase = phase;
    }

    public Boolean getReadyToUse() {
        return readyToUse;
    }

    public void setReadyToUse(Boolean readyToUse) {
        this.readyToUse = readyToUse;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public List<SnapshotVolume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<SnapshotVolume> volumes) {
        this.volumes = volumes;
    }
}
