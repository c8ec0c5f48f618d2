package io.virtfleet.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What kubectl shows of the CRDs: printer columns (READY, wide-only columns), categories, explain texts, conditions. */
class CrdKubectlSurfaceTest {

    private static CustomResourceDefinition crd(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml",
            "tenantpolicies.virtfleet.io-v1.yml", "virtualmachinesnapshots.virtfleet.io-v1.yml",
            "virtualmachinerestores.virtfleet.io-v1.yml", "virtualnetworks.virtfleet.io-v1.yml",
            "virtualmachineimages.virtfleet.io-v1.yml"})
    void inTheVirtfleetCategoryOnlyAndExplained(String file) throws IOException {
        CustomResourceDefinition crd = crd(file);
        // never "all": kubectl delete all --all would take VMs and their disks with it
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("virtfleet");
        JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        assertThat(root.getDescription()).as("kubectl explain %s", crd.getSpec().getNames().getKind())
                .contains("Short name " + crd.getSpec().getNames().getShortNames().get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml", "virtualmachines.virtfleet.io-v1.yml"})
    void readyColumnAndConditionsAsMetav1Condition(String file) throws IOException {
        CustomResourceDefinition crd = crd(file);
        Map<String, CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0)
                .getAdditionalPrinterColumns().stream()
                .collect(Collectors.toMap(CustomResourceColumnDefinition::getName, c -> c));
        assertThat(columns.get("READY").getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
        assertThat(columns.get("READY").getPriority()).isZero();
        assertThat(columns.get("IMAGE").getPriority()).as("wide only").isEqualTo(1);

        JSONSchemaProps conditions = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
                .getProperties().get("status").getProperties().get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
        JSONSchemaProps item = conditions.getItems().getSchema();
        assertThat(item.getRequired()).containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason",
                "message");
        assertThat(item.getProperties().get("lastTransitionTime").getFormat()).isEqualTo("date-time");
        assertThat(item.getProperties().get("status").getEnum()).extracting(e -> e.asText())
                .containsExactly("True", "False", "Unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtualmachines.virtfleet.io-v1.yml"})
    void wideColumnsOfAVirtualMachine(String file) throws IOException {
        List<String> wide = crd(file).getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() != null && c.getPriority() == 1).map(CustomResourceColumnDefinition::getName)
                .toList();
        assertThat(wide).contains("VCPUS", "MEMORY", "IMAGE");
        JSONSchemaProps spec = crd(file).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec");
        assertThat(spec.getProperties().get("runStrategy").getDefault().asText()).isEqualTo("Always");
        assertThat(spec.getProperties().get("firmware").getDefault().asText()).isEqualTo("bios");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rootvolumes.virtfleet.io-v1.yml"})
    void progressColumnsOfARootVolume(String file) throws IOException {
        List<String> wide = crd(file).getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() != null && c.getPriority() == 1).map(CustomResourceColumnDefinition::getName)
                .toList();
        assertThat(wide).contains("BYTES-DONE", "BYTES-TOTAL", "IMAGE", "SIZE");
        assertThat(crd(file).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("deletionPolicy").getDefault().asText()).isEqualTo("Delete");
        assertThat(crd(file).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("provisioning").getDefault().asText()).isEqualTo("Copy");
    }
}
