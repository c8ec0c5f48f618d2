package io.virtfleet.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.virtfleet.crds.v1alpha1.schema.ConditionSchema;

import java.util.ArrayList;
import java.util.List;

/** What every VirtFleet status has: conditions for machines and the generation they describe. */
public abstract class ConditionedStatus {
    @SchemaFrom(type = ConditionSchema[].class)
    @JsonPropertyDescription("Latest observations of the object's state (Ready, Scheduled, ...).")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
