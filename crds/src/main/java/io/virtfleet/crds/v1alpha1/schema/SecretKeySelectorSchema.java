package io.virtfleet.crds.v1alpha1.schema;

import io.fabric8.generator.annotation.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The schema of a {@code SecretKeySelector}: one key of a Secret in the object's namespace. */
public class SecretKeySelectorSchema {
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Secret, in the same namespace as this object.")
    public String name;

    @Size(max = 253)
    @JsonPropertyDescription("Key in the Secret's data whose value is used.")
    public String key;

    @JsonPropertyDescription("When true, a missing Secret or key means no value instead of an error.")
    public Boolean optional;
}
