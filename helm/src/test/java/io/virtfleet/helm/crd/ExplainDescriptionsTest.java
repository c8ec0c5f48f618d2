package io.virtfleet.helm.crd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `kubectl explain vfvm.spec...` prints each field's description: every field of both CRDs (generated in crds/ from
 * the Java model) has one, down to the Secret key selectors and the conditions.
 */
class ExplainDescriptionsTest {
    /** Field paths (kind.a.b, array items folded into their field) whose schema has no description. */
    private static List<String> undescribed() {
        List<String> missing = new ArrayList<>();
        for (String kind : CrdFiles.PLURALS.keySet()) {
            collect(CrdFiles.openApiSchema(kind), kind, missing);
        }
        return missing;
    }

    private static void collect(JsonNode schema, String path, List<String> missing) {
        JsonNode fields = schema.has("items") ? schema.get("items").path("properties") : schema.path("properties");
        fields.properties().forEach(field -> {
            String fieldPath = path + "." + field.getKey();
            if (field.getValue().path("description").asText("").isBlank()) {
                missing.add(fieldPath);
            }
            collect(field.getValue(), fieldPath, missing);
        });
    }

    @Test
    void everyFieldHasADescription() {
        assertThat(undescribed()).as("fields without a description that kubectl explain would show bare").isEmpty();
    }
}
