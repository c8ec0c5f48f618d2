package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.virtfleet.helm.crd.CrdFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator the examples pass refuses what the API server would refuse, so passing it means something. */
class StructuralSchemaValidatorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final StructuralSchemaValidator VM = new StructuralSchemaValidator(CrdFiles.openApiSchema("VirtualMachine"));

    private static JsonNode vm(String spec) throws Exception {
        return YAML.readTree("apiVersion: virtfleet.io/v1alpha1\nkind: VirtualMachine\nmetadata: {name: test-vm}\nspec: " + spec);
    }

    @Test
    void validVmHasNoViolations() throws Exception {
        assertThat(VM.validate(vm("{vcpus: 2, memory: 2Gi, rootVolume: {name: test-root}}")).violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing required field | {memory: 2Gi, rootVolume: {name: test-root}}                             | .spec.vcpus: required",
            "below minimum          | {vcpus: 0, memory: 2Gi, rootVolume: {name: test-root}}                   | .spec.vcpus: 0 is below the minimum",
            "wrong type             | {vcpus: two, memory: 2Gi, rootVolume: {name: test-root}}                 | .spec.vcpus: expected integer",
            "int-or-string type     | {vcpus: 1, memory: true, rootVolume: {name: test-root}}                  | .spec.memory: expected integer or string",
            "enum                   | {vcpus: 1, memory: 1Gi, runStrategy: Sometimes, rootVolume: {name: test-root}} | .spec.runStrategy: \"Sometimes\" is not one of",
            "pattern                | {vcpus: 1, memory: 1Gi, dataDisks: [{device: sdb, size: 1Gi}], rootVolume: {name: test-root}} | .spec.dataDisks[0].device: 'sdb' does not match",
            "unknown field          | {vcpus: 1, memory: 1Gi, cpus: 4, rootVolume: {name: test-root}}          | .spec.cpus: unknown field",
            "CEL rule on spec       | {vcpus: 1, memory: 1Gi, nodeName: a, nodeSelector: {b: c}, rootVolume: {name: test-root}} | .spec: set either nodeName or nodeSelector, not both",
            "CEL rule on rootVolume | {vcpus: 1, memory: 1Gi, rootVolume: {}}                          | .spec.rootVolume: set exactly one of name or template",
    })
    void violationIsReported(String what, String spec, String expected) throws Exception {
        assertThat(VM.validate(vm(spec)).violations()).as(what).anySatisfy(v -> assertThat(v).startsWith(expected));
    }
}
