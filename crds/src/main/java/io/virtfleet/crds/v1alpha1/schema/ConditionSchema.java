package io.virtfleet.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The schema of one status condition (the Kubernetes {@code metav1.Condition} shape). */
public class ConditionSchema {
    @JsonPropertyDescription("Kind of condition: Scheduled, ImageCached, Populated, VolumeReady, DomainDefined, "
            + "Running, RestartRequired, NodeUnreachable or Ready.")
    public String type;

    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription("CamelCase reason for the last transition; docs/troubleshooting.md explains each.")
    public String reason;

    @JsonPropertyDescription("What happened and what to do, for people.")
    public String message;

    @JsonPropertyDescription("When the condition last changed status (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was set for.")
    public Long observedGeneration;
}
