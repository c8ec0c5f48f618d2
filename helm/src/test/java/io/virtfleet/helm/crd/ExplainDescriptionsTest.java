package io.virtfleet.helm.crd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `kubectl explain vfvm.spec...` prints each field's description: every field should have one. The CRDs are
 * generated in crds/ (owned by the operator work); the fields listed in KNOWN_GAPS still lack a description there.
 * The list may only shrink: a gap that gets a description fails the test until it is removed from the list.
 */
class ExplainDescriptionsTest {
    private static final Set<String> KNOWN_GAPS = Set.of(
            "VirtualMachine.spec",
            "VirtualMachine.status",
            "VirtualMachine.spec.cloudInit.rootPasswordHash.key",
            "VirtualMachine.spec.cloudInit.rootPasswordHash.name",
            "VirtualMachine.spec.cloudInit.rootPasswordHash.optional",
            "VirtualMachine.spec.cloudInit.userData.key",
            "VirtualMachine.spec.cloudInit.userData.name",
            "VirtualMachine.spec.cloudInit.userData.optional",
            "VirtualMachine.status.conditions.lastTransitionTime",
            "VirtualMachine.status.conditions.message",
            "VirtualMachine.status.conditions.observedGeneration",
            "VirtualMachine.status.conditions.reason",
            "VirtualMachine.status.conditions.status",
            "VirtualMachine.status.conditions.type",
            "RootVolume.spec",
            "RootVolume.status",
            "RootVolume.status.conditions.lastTransitionTime",
            "RootVolume.status.conditions.message",
            "RootVolume.status.conditions.observedGeneration",
            "RootVolume.status.conditions.reason",
            "RootVolume.status.conditions.status",
            "RootVolume.status.conditions.type");

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
    void everyFieldHasADescriptionExceptTheKnownGaps() {
        assertThat(undescribed()).as("fields without a description that kubectl explain would show bare")
                .isSubsetOf(KNOWN_GAPS);
    }

    @Test
    void knownGapsAreStillGaps() {
        assertThat(KNOWN_GAPS).as("gaps now described: remove them from KNOWN_GAPS").isSubsetOf(undescribed());
    }
}
