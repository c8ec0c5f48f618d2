package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} rules with cel-java, {@code self} bound to the value as the API
 * server binds it. Kubernetes adds CEL libraries of its own (ip, cidr, quantity, url, format...) that cel-java lacks:
 * a rule calling one of them is reported as not evaluated instead of failing or passing silently.
 */
final class CelRules {
    /** Functions of the Kubernetes CEL libraries that cel-java does not provide. */
    private static final Set<String> KUBERNETES_ONLY_FUNCTIONS = Set.of(
            "isIP", "ip", "isCIDR", "cidr", "isQuantity", "quantity", "isURL", "url", "format", "isSemver", "semver",
            "authorizer", "oldSelf");
    private static final CelOptions OPTIONS = CelOptions.current().build();
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
            .build();

    /** The outcome of one rule on one value: passed, violated (with the CRD's message) or not evaluable here. */
    record Outcome(String rule, boolean evaluated, boolean passed, String message) {
    }

    private CelRules() {
    }

    static Outcome check(String rule, String message, JsonNode self) {
        if (rule.contains("oldSelf")) {
            // a transition rule: the API server runs it on updates only, and a manifest here is always a create, so
            // there is nothing to evaluate (crds/ CrdUpdateRulesTest evaluates these rules with oldSelf)
            return new Outcome(rule, true, true, null);
        }
        CelValidationResult compiled = CEL.compile(rule);
        if (compiled.hasError()) {
            String errors = compiled.getErrorString();
            if (KUBERNETES_ONLY_FUNCTIONS.stream().anyMatch(errors::contains)) {
                return new Outcome(rule, false, true, "uses a Kubernetes-only CEL library: " + errors);
            }
            throw new IllegalArgumentException("CEL rule does not compile: " + rule + "\n" + errors);
        }
        try {
            Object result = CEL.createProgram(compiled.getAst()).eval(Map.of("self", toCel(self)));
            boolean passed = Boolean.TRUE.equals(result);
            return new Outcome(rule, true, passed, passed ? null : message);
        } catch (CelValidationException | CelEvaluationException e) {
            return new Outcome(rule, true, false, message + " (evaluation error: " + e.getMessage() + ")");
        }
    }

    /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), toCel(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
