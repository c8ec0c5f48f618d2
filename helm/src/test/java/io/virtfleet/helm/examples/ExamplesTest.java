package io.virtfleet.helm.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.TenantPolicy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestore;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.helm.RepoFiles;
import io.virtfleet.helm.crd.CrdFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every manifest under examples/ parses and would be accepted by the API server with the committed CRDs. */
class ExamplesTest {
    /** The documented scenarios and the example file that shows each. */
    private static final Map<String, String> SCENARIOS = Map.ofEntries(
            Map.entry("quickstart", "quickstart.yaml"),
            Map.entry("static multi-NIC", "static-multi-nic.yaml"),
            Map.entry("data disks", "data-disks.yaml"),
            Map.entry("UEFI", "uefi.yaml"),
            Map.entry("direct kernel boot", "direct-kernel-boot.yaml"),
            Map.entry("reprovision", "reprovision.yaml"),
            Map.entry("Argo CD Application", "argocd/application.yaml"),
            Map.entry("Argo CD health checks", "argocd/argocd-cm-health.yaml"),
            Map.entry("tenant policy", "tenant-policy.yaml"),
            Map.entry("copy-on-write root volume", "copy-on-write.yaml"),
            Map.entry("snapshot, restore and clone", "snapshot-restore-clone.yaml"),
            Map.entry("network with DHCP and NIC firewall", "network-dhcp-firewall.yaml"),
            Map.entry("GPU passthrough", "gpu-passthrough.yaml"),
            Map.entry("image catalogue with prefetch", "image-catalog.yaml"));
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "VirtualMachine", VirtualMachine.class, "RootVolume", RootVolume.class, "TenantPolicy", TenantPolicy.class,
            "VirtualMachineSnapshot", VirtualMachineSnapshot.class, "VirtualMachineRestore", VirtualMachineRestore.class,
            "VirtualNetwork", io.virtfleet.crds.v1alpha1.VirtualNetwork.class,
            "VirtualMachineImage", io.virtfleet.crds.v1alpha1.VirtualMachineImage.class);

    static List<ExampleManifests.ExampleObject> virtFleetObjects() {
        return ExampleManifests.objects().stream().filter(o -> CrdFiles.PLURALS.containsKey(o.kind())).toList();
    }

    @Test
    void everyScenarioHasAnExampleFile() {
        SCENARIOS.forEach((scenario, file) ->
                assertThat(RepoFiles.EXAMPLES.resolve(file)).as(scenario).isRegularFile());
    }

    @Test
    void everyExampleFileHoldsObjectsFabric8CanParse() {
        assertThat(ExampleManifests.files()).allSatisfy(file -> {
            if (!file.endsWith("argocd-cm-health.yaml")) {
                assertThat(ExampleManifests.read(file)).as(file.toString()).isNotEmpty()
                        .allSatisfy(o -> assertThat((HasMetadata) Serialization.unmarshal(o.yaml())).isNotNull());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtFleetObjects")
    void objectParsesIntoTheJavaModelAndPassesTheCrdSchema(ExampleManifests.ExampleObject example) {
        Class<? extends HasMetadata> type = TYPES.get(example.kind());
        HasMetadata typed = Serialization.jsonMapper().convertValue(example.tree(), type);
        JsonNode schema = CrdFiles.openApiSchema(example.kind());

        StructuralSchemaValidator.Result result = new StructuralSchemaValidator(schema).validate(example.tree());

        assertThat(typed.getApiVersion()).isEqualTo("virtfleet.io/v1alpha1");
        assertThat(typed.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(result.violations()).as("schema violations").isEmpty();
        assertThat(result.notEvaluated()).as("CEL rules this test cannot evaluate").isEmpty();
    }

    @Test
    void quickstartStaysWhatTheLocalStackApplies() throws Exception {
        assertThat(Files.readString(RepoFiles.EXAMPLES.resolve("quickstart.yaml")))
                .contains("name: quickstart-root", "name: quickstart");
    }
}
