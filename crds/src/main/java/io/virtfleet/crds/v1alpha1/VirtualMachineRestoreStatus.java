package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.virtfleet.crds.v1alpha1.schema.DeepMergePatch;

/** Observed state of a restore, written only by the operator. */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{\"conditions\":{\"maxItems\":32,\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"]}}}")
public class VirtualMachineRestoreStatus extends ConditionedStatus {
    @JsonPropertyDescription("Pending (also while refused: see the Ready condition's reason), InProgress, Succeeded or Failed.")
    private SnapshotPhase phase;

    @JsonPropertyDescription("True once the target's volumes hold the snapshot's content.")
    private Boolean complete;

    @Size(max = 64)
    @JsonPropertyDescription("When the restore finished (RFC 3339).")
    private String restoreTime;

    public SnapshotPhase getPhase() {
        return phase;
    }

    public void setPhase(SnapshotPhase phase) {
        this.phase = phase;
    }

    public Boolean getComplete() {
        return complete;
    }

    public void setComplete(Boolean complete) {
        this.complete = complete;
    }

    public String getRestoreTime() {
        return restoreTime;
    }

    public void setRestoreTime(String restoreTime) {
        this.restoreTime = restoreTime;
    }
}
