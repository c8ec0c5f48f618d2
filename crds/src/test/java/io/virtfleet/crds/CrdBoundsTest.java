package io.virtfleet.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server estimates each CEL rule's cost from the largest string, list and map it could see; an unbounded one
 * is estimated from the 3 MiB request limit and makes the estimate explode. Every string of every schema (spec and
 * status) has a maxLength, an enum or a format that bounds it, every int-or-string a maxLength, every list a maxItems
 * and every map a maxProperties.
 */
class CrdBoundsTest {

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml"})
    void everyStringListAndMapHasABound(String file) {
        JSONSchemaProps root = CrdCostBudgetTest.root(file);
        List<String> unbounded = new ArrayList<>();
        for (String part : List.of("spec", "status")) {
            if (root.getProperties().containsKey(part)) {
                unbounded(root.getProperties().get(part), part, unbounded);
            }
        }
        assertThat(unbounded).as("unbounded in %s", file).isEmpty();
    }

    @Test
    void theWalkFindsEachKindOfUnboundedSchema() {
        JSONSchemaProps string = new JSONSchemaProps();
        string.setType("string");
        JSONSchemaProps quantity = new JSONSchemaProps();
        quantity.setXKubernetesIntOrString(true);
        JSONSchemaProps list = new JSONSchemaProps();
        list.setType("array");
        list.setItems(new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray(null, string));
        JSONSchemaProps map = new JSONSchemaProps();
        map.setType("object");
        map.setAdditionalProperties(new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrBool(null, string));
        JSONSchemaProps object = new JSONSchemaProps();
        object.setType("object");
        object.setProperties(new java.util.LinkedHashMap<>(java.util.Map.of("q", quantity, "l", list, "m", map)));
        List<String> unbounded = new ArrayList<>();
        unbounded(object, "x", unbounded);
        assertThat(unbounded).containsExactlyInAnyOrder("x.q (int-or-string without maxLength)",
                "x.l (list without maxItems)", "x.l[] (string without maxLength)", "x.m (map without maxProperties)",
                "x.m{} (string without maxLength)");
    }

    static void unbounded(JSONSchemaProps schema, String path, List<String> out) {
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString()) && schema.getMaxLength() == null) {
            out.add(path + " (int-or-string without maxLength)");
        }
        if ("string".equals(schema.getType()) && schema.getMaxLength() == null
                && (schema.getEnum() == null || schema.getEnum().isEmpty())
                && !List.of("date-time", "date", "duration").contains(String.valueOf(schema.getFormat()))) {
            out.add(path + " (string without maxLength)");
        }
        if ("array".equals(schema.getType())) {
            if (schema.getMaxItems() == null) {
                out.add(path + " (list without maxItems)");
            }
            unbounded(schema.getItems().getSchema(), path + "[]", out);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            if (schema.getMaxProperties() == null) {
                out.add(path + " (map without maxProperties)");
            }
            unbounded(schema.getAdditionalProperties().getSchema(), path + "{}", out);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> unbounded(child, path + "." + name, out));
        }
    }
}
