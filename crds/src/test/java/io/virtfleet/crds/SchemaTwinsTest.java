package io.virtfleet.crds;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.schema.ConditionSchema;
import io.virtfleet.crds.v1alpha1.schema.LabelSelectorRequirementSchema;
import io.virtfleet.crds.v1alpha1.schema.LabelSelectorSchema;
import io.virtfleet.crds.v1alpha1.schema.SecretKeySelectorSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A schema twin must describe exactly the JSON properties of the Fabric8 type the Java model holds. */
class SchemaTwinsTest {
    static Stream<Arguments> twins() {
        return Stream.of(Arguments.of(SecretKeySelector.class, SecretKeySelectorSchema.class),
                Arguments.of(Condition.class, ConditionSchema.class),
                Arguments.of(LabelSelector.class, LabelSelectorSchema.class),
                Arguments.of(LabelSelectorRequirement.class, LabelSelectorRequirementSchema.class));
    }

    private static Set<String> jsonProperties(Class<?> type) {
        var config = Serialization.jsonMapper().getSerializationConfig();
        BeanDescription description = config.introspect(config.constructType(type));
        return description.findProperties().stream().map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @MethodSource("twins")
    void twinHasTheSamePropertiesAsTheModelType(Class<?> modelType, Class<?> schemaTwin) {
        assertThat(jsonProperties(schemaTwin)).isNotEmpty().isEqualTo(jsonProperties(modelType));
    }
}
