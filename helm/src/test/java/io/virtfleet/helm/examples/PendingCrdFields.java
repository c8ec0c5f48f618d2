package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Example fields that document a scenario the CRD does not have a field for yet. An "unknown field" finding on
 * exactly these paths is tolerated; {@link ExamplesTest} fails once the CRD gains the field, so the entry goes away.
 */
final class PendingCrdFields {
    /** example file (relative to examples/) → schema path of the field the CRD still lacks. */
    static final Map<String, String> BY_EXAMPLE = Map.of(
            "direct-kernel-boot.yaml", ".spec.kernelBoot");

    private PendingCrdFields() {
    }

    /** The object as the API server would keep it: the pending field dropped (for parsing into the Java model). */
    static JsonNode withoutPending(String exampleFile, JsonNode object) {
        String pending = BY_EXAMPLE.get(exampleFile);
        if (pending == null) {
            return object;
        }
        JsonNode copy = object.deepCopy();
        int lastDot = pending.lastIndexOf('.');
        JsonNode parent = copy.at(pending.substring(0, lastDot).replace('.', '/'));
        if (parent instanceof ObjectNode parentObject) {
            parentObject.remove(pending.substring(lastDot + 1));
        }
        return copy;
    }

    static boolean tolerated(String exampleFile, String violation) {
        String pending = BY_EXAMPLE.get(exampleFile);
        return pending != null && violation.equals(pending + ": unknown field (the API server would drop it)");
    }
}
