package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** For tests outside this package: an object against a CRD schema, as the API server would judge it. */
public final class SchemaCheck {
    private SchemaCheck() {
    }

    /** Schema violations, plus every CEL rule that could not be evaluated (which counts as a failure too). */
    public static List<String> violations(JsonNode schema, JsonNode object) {
        StructuralSchemaValidator.Result result = new StructuralSchemaValidator(schema).validate(object);
        List<String> all = new ArrayList<>(result.violations());
        result.notEvaluated().forEach(rule -> all.add("not evaluated: " + rule));
        return all;
    }
}
