package io.virtfleet.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** The schema of a {@code LabelSelectorRequirement}. */
public class LabelSelectorRequirementSchema {
    @Required
    @Size(max = 317)
    @JsonPropertyDescription("Label key the requirement applies to.")
    public String key;

    @Required
    @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
    @Size(max = 12)
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public String operator;

    @Size(max = 64)
    @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
    public List<@Size(max = 63) String> values;
}
