package io.virtfleet.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

import java.util.List;
import java.util.Map;

/** The schema of a {@code LabelSelector}, bounded so CEL cost stays small. */
public class LabelSelectorSchema {
    @Size(max = 32)
    @JsonPropertyDescription("Requirements on labels; all must hold.")
    public List<LabelSelectorRequirementSchema> matchExpressions;

    @Size(max = 32)
    @JsonPropertyDescription("Labels the namespace must carry with exactly these values.")
    public Map<String, @Size(max = 63) String> matchLabels;
}
