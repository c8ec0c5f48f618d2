package io.virtfleet.crds.v1alpha1.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Iterator;
import java.util.Map;

/**
 * A JSON merge patch (RFC 7386) of a class's generated schema, applied recursively. The generator's own
 * {@code MergePatchCustomizer} replaces nested objects such as {@code properties} wholesale, so it cannot add a bound
 * to one property; this one can. Used (at build time only, by the CRD generator) for what has no annotation: maxLength
 * on int-or-string quantities, enum/format of condition fields, list-map markers.
 */
public final class DeepMergePatch implements SchemaCustomizer.Customizer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
        try {
            ObjectNode target = MAPPER.valueToTree(schema);
            merge(target, MAPPER.readTree(input));
            return MAPPER.treeToValue(target, JSONSchemaProps.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad schema patch " + input, e);
        }
    }

    static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = target.get(field.getKey());
            if (field.getValue().isNull()) {
                target.remove(field.getKey());
            } else if (field.getValue().isObject() && existing instanceof ObjectNode object) {
                merge(object, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
