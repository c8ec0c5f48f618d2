package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an object against a CRD's structural OpenAPI v3 schema the way the API server would on create: types,
 * int-or-string, required fields, enums, patterns, bounds, unknown fields (which the server would prune, so a typo
 * would be silently lost) and x-kubernetes-validations CEL rules.
 */
final class StructuralSchemaValidator {
    /** Fields every object has that CRD schemas do not spell out. */
    private static final Set<String> IMPLICIT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /** All findings of one validation: violations fail, notEvaluated lists CEL rules this JVM cannot run. */
    record Result(List<String> violations, List<String> notEvaluated) {
    }

    private final JsonNode rootSchema;

    StructuralSchemaValidator(JsonNode openApiV3Schema) {
        this.rootSchema = openApiV3Schema;
    }

    Result validate(JsonNode object) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>());
        visit(rootSchema, object, "", result, true);
        return result;
    }

    private void visit(JsonNode schema, JsonNode value, String path, Result result, boolean root) {
        if (value == null || value.isNull()) {
            return;
        }
        if (!typeMatches(schema, value)) {
            result.violations().add(path + ": expected " + expectedType(schema) + " but got " + value.getNodeType());
            return;
        }
        checkConstraints(schema, value, path, result.violations());
        if (value.isObject()) {
            visitObject(schema, value, path, result, root);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                visit(schema.get("items"), value.get(i), path + "[" + i + "]", result, false);
            }
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            CelRules.Outcome outcome = CelRules.check(rule.get("rule").asText(), rule.path("message").asText(), value);
            if (!outcome.evaluated()) {
                result.notEvaluated().add(path + ": " + outcome.rule() + " (" + outcome.message() + ")");
            } else if (!outcome.passed()) {
                result.violations().add(path + ": " + outcome.message());
            }
        }
    }

    private void visitObject(JsonNode schema, JsonNode value, String path, Result result, boolean root) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                result.violations().add(path + "." + required.asText() + ": required");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        value.properties().forEach(field -> {
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                visit(properties.get(field.getKey()), field.getValue(), fieldPath, result, false);
            } else if (additional != null && additional.isObject()) {
                visit(additional, field.getValue(), fieldPath, result, false);
            } else if (!preserveUnknown && !(root && IMPLICIT_ROOT_FIELDS.contains(field.getKey()))) {
                result.violations().add(fieldPath + ": unknown field (the API server would drop it)");
            }
        });
    }

    private static void checkConstraints(JsonNode schema, JsonNode value, String path, List<String> violations) {
        if (schema.has("enum") && value.isValueNode()) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                violations.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("pattern") && value.isTextual()
                && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            violations.add(path + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
        }
        if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
            violations.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
            violations.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
        }
        if (schema.has("minLength") && value.isTextual() && value.asText().length() < schema.get("minLength").asInt()) {
            violations.add(path + ": shorter than " + schema.get("minLength"));
        }
        if (schema.has("maxItems") && value.isArray() && value.size() > schema.get("maxItems").asInt()) {
            violations.add(path + ": more than " + schema.get("maxItems") + " items");
        }
    }

    private static boolean typeMatches(JsonNode schema, JsonNode value) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static String expectedType(JsonNode schema) {
        return schema.path("x-kubernetes-int-or-string").asBoolean(false) ? "integer or string" : schema.path("type").asText();
    }
}
