package io.virtfleet.helm.examples;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Argo CD Application example syncs a folder of this repository that holds only VirtualMachine manifests. */
class ArgoCdApplicationExampleTest {
    private static final Path FILE = RepoFiles.EXAMPLES.resolve("argocd/application.yaml");

    @Test
    void applicationSyncsTheGitopsFolderOfVirtualMachines() {
        GenericKubernetesResource app = Serialization.unmarshal(ExampleManifests.read(FILE).getFirst().yaml(),
                GenericKubernetesResource.class);
        String path = app.get("spec", "source", "path");
        List<ExampleManifests.ExampleObject> synced = ExampleManifests.objects().stream()
                .filter(o -> o.file().startsWith(RepoFiles.ROOT.resolve(path)))
                .toList();

        assertThat(app.getApiVersion()).isEqualTo("argoproj.io/v1alpha1");
        assertThat(app.getKind()).isEqualTo("Application");
        assertThat((String) app.get("spec", "destination", "namespace")).isNotBlank();
        assertThat((Boolean) app.get("spec", "syncPolicy", "automated", "prune"))
                .as("VMs are stateful: automated prune stays off").isFalse();
        assertThat(synced).isNotEmpty().allSatisfy(o -> assertThat(o.kind()).isEqualTo("VirtualMachine"));
        assertThat(synced).anySatisfy(o -> assertThat(o.tree().at("/spec/runStrategy").asText()).isEqualTo("Halted"));
    }
}
