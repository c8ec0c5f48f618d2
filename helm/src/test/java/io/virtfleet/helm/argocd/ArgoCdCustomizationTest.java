package io.virtfleet.helm.argocd;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The argocd-cm patch users apply carries exactly the health script the chart ships and the Lua tests exercise. */
class ArgoCdCustomizationTest {

    @Test
    void argocdCmPatchHoldsTheChartScriptOfEachKind() throws IOException {
        String patch = Files.readString(RepoFiles.EXAMPLES.resolve("argocd/argocd-cm-health.yaml"));

        ConfigMap parsed = Serialization.unmarshal("apiVersion: v1\nkind: ConfigMap\n" + patch, ConfigMap.class);

        assertThat(parsed.getData())
                .containsOnlyKeys("resource.customizations.health.virtfleet.io_VirtualMachine",
                        "resource.customizations.health.virtfleet.io_RootVolume")
                .allSatisfy((key, value) -> assertThat(value).as(key)
                        .isEqualTo(script(key.substring(key.indexOf('_') + 1))));
    }

    private static String script(String kind) {
        try {
            return Files.readString(ArgoCdHealthTest.script(kind));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void docsPointAtThePatchAndTheScript() throws IOException {
        assertThat(Files.readString(RepoFiles.DOCS.resolve("argocd.md")))
                .contains("examples/argocd/argocd-cm-health.yaml", "helm/virtfleet/argocd/resource_customizations/virtfleet.io/VirtualMachine/health.lua",
                        "helm/virtfleet/argocd/resource_customizations/virtfleet.io/RootVolume/health.lua");
    }
}
