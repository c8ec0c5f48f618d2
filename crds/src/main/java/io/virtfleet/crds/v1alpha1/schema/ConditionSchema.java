package io.virtfleet.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The schema of one status condition: the Kubernetes {@code metav1.Condition} shape with its bounds, required fields
 * and formats (k8s.io/apimachinery/pkg/apis/meta/v1 types.go). The enum of status and the date-time format of
 * lastTransitionTime have no generator annotation, hence the merge patch.
 */
@SchemaCustomizer(value = DeepMergePatch.class, input = "{\"properties\":{"
        + "\"status\":{\"enum\":[\"True\",\"False\",\"Unknown\"]},"
        + "\"lastTransitionTime\":{\"format\":\"date-time\"}}}")
public class ConditionSchema {
    @Required
    @Size(max = 316)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
    @JsonPropertyDescription("Kind of condition: Scheduled, ImageCached, Populated, VolumeReady, DomainDefined, "
            + "Running, RestartRequired, NodeUnreachable, DeletionBlocked or Ready.")
    public String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
    @JsonPropertyDescription("CamelCase reason for the last transition; docs/troubleshooting.md explains each.")
    public String reason;

    @Required
    @Size(max = 32768)
    @JsonPropertyDescription("What happened and what to do, for people (may be empty).")
    public String message;

    @Required
    @JsonPropertyDescription("When the condition last changed status (RFC 3339).")
    public String lastTransitionTime;

    @Min(0)
    @JsonPropertyDescription("The metadata.generation the condition was set for.")
    public Long observedGeneration;
}
