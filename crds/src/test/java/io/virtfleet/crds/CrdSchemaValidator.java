package io.virtfleet.crds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an object against a committed CRD's schema the way an API server would for the parts VirtFleet uses:
 * {@code required}, {@code enum}, {@code pattern}, {@code minimum}/{@code maximum}, {@code maxItems}/{@code maxLength}
 * and every {@code x-kubernetes-validations} rule, the latter evaluated by a real CEL implementation (cel-java with
 * the strings extension, which Kubernetes also enables). The mock API server of the tests enforces none of this.
 */
final class CrdSchemaValidator {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();

    private final JSONSchemaProps root;

    private CrdSchemaValidator(JSONSchemaProps root) {
        this.root = root;
    }

    static CrdSchemaValidator forCommittedCrd(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            return new CrdSchemaValidator(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every x-kubernetes-validations rule of the schema, for checking that each one compiles. */
    List<String> allRules() {
        List<String> rules = new ArrayList<>();
        collectRules(root, rules);
        return rules;
    }

    /** The violations of {@code object} (a YAML document), each naming its path; empty when valid. */
    List<String> violations(String yaml) {
        Object object = normalize(Serialization.unmarshal(yaml, Map.class));
        List<String> violations = new ArrayList<>();
        check(root, object, null, "", violations);
        return violations;
    }

    /**
     * The violations of an update from {@code oldYaml} to {@code yaml}: as on create, plus the transition rules (those
     * naming oldSelf), which the API server runs only where the old object had a value at the same place.
     */
    List<String> updateViolations(String oldYaml, String yaml) {
        Object object = normalize(Serialization.unmarshal(yaml, Map.class));
        Object old = normalize(Serialization.unmarshal(oldYaml, Map.class));
        List<String> violations = new ArrayList<>();
        check(root, object, old, "", violations);
        return violations;
    }

    private void check(JSONSchemaProps schema, Object value, Object old, String path, List<String> violations) {
        if (value == null) {
            return;
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().noneMatch(e -> Objects.equals(e.isTextual() ? e.asText() : e.isNumber() ? (Object) e.asLong() : e.toString(), value))) {
            violations.add(path + ": not one of " + schema.getEnum());
        }
        if (value instanceof String s) {
            if (schema.getPattern() != null && !java.util.regex.Pattern.compile(schema.getPattern()).matcher(s).find()) {
                violations.add(path + ": does not match " + schema.getPattern());
            }
            if (schema.getMaxLength() != null && s.length() > schema.getMaxLength()) {
                violations.add(path + ": longer than " + schema.getMaxLength());
            }
        }
        if (value instanceof Number n) {
            if (schema.getMinimum() != null && n.doubleValue() < schema.getMinimum()) {
                violations.add(path + ": below " + schema.getMinimum());
            }
            if (schema.getMaximum() != null && n.doubleValue() > schema.getMaximum()) {
                violations.add(path + ": above " + schema.getMaximum());
            }
        }
        if (value instanceof Map<?, ?> map) {
            if (schema.getRequired() != null) {
                schema.getRequired().stream().filter(r -> !map.containsKey(r))
                        .forEach(r -> violations.add(path + "." + r + ": required"));
            }
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, child) -> check(child, map.get(name),
                        old instanceof Map<?, ?> oldMap ? oldMap.get(name) : null, path + "." + name, violations));
            }
        }
        if (value instanceof List<?> list) {
            if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
                violations.add(path + ": more than " + schema.getMaxItems() + " items");
            }
            if (schema.getItems() != null && schema.getItems().getSchema() != null) {
                for (int i = 0; i < list.size(); i++) {
                    check(schema.getItems().getSchema(), list.get(i), null, path + "[" + i + "]", violations);
                }
            }
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                boolean transition = rule.getRule().contains("oldSelf");
                if (transition && old == null) {
                    continue;
                }
                if (!Boolean.TRUE.equals(transition ? evaluate(rule.getRule(), value, old) : evaluate(rule.getRule(), value))) {
                    violations.add((path.isEmpty() ? "<root>" : path) + ": " + rule.getMessage());
                }
            }
        }
    }

    static CelAbstractSyntaxTree compile(String rule) {
        try {
            return COMPILER.compile(rule).getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("CEL rule does not compile: " + rule + ": " + e.getMessage(), e);
        }
    }

    static Object evaluate(String rule, Object self) {
        try {
            return RUNTIME.createProgram(compile(rule)).eval(Map.of("self", self));
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule failed to evaluate: " + rule + ": " + e.getMessage(), e);
        }
    }

    static Object evaluate(String rule, Object self, Object oldSelf) {
        try {
            return RUNTIME.createProgram(compile(rule)).eval(Map.of("self", self, "oldSelf", oldSelf));
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule failed to evaluate: " + rule + ": " + e.getMessage(), e);
        }
    }

    private static void collectRules(JSONSchemaProps schema, List<String> rules) {
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(r -> rules.add(r.getRule()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(child -> collectRules(child, rules));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            collectRules(schema.getItems().getSchema(), rules);
        }
    }

    /** CEL wants long for integers; YAML parsing gives Integer. */
    private static Object normalize(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CrdSchemaValidator::normalize).toList();
        }
        return value;
    }

    /**
     * Asserts that {@code validYaml} with {@code valid} replaced by {@code broken} is refused by a rule whose message
     * contains {@code expected}: the shape of every table of broken cases (a {@code \\n} in a case is a newline).
     */
    void assertRefusesEdit(String what, String validYaml, String valid, String broken, String expected) {
        String yaml = validYaml.replace(valid.replace("\\n", "\n"), broken.replace("\\n", "\n"));
        assertThat(yaml).as("the case edits the object").isNotEqualTo(validYaml);
        assertThat(violations(yaml)).as(what).anySatisfy(v -> assertThat(v).contains(expected));
    }
}
