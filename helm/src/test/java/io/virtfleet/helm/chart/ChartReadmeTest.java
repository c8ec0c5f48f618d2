package io.virtfleet.helm.chart;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `helm show readme` prints a README whose install values render and whose upgrade advice avoids --reuse-values. */
class ChartReadmeTest {
    private static final String README = new Helm(RepoFiles.CHART).show().readme().call();

    @Test
    void helmShowsTheChartReadme() {
        assertThat(README).startsWith("# VirtFleet Helm chart").contains("## Install", "## Upgrade", "## Users and RBAC");
    }

    @Test
    void upgradeGuidancePassesTheValuesFileAgainAndWarnsAboutReuseValues() {
        String upgrade = README.substring(README.indexOf("## Upgrade"), README.indexOf("## Users and RBAC"));
        assertThat(upgrade).contains("helm upgrade virtfleet ./helm/virtfleet -n virtfleet-system -f virtfleet-values.yaml",
                "do **not** use `--reuse-values`", "kubectl apply --server-side -f helm/virtfleet/crds/");
        assertThat(upgrade.lines().filter(l -> l.startsWith("helm upgrade"))).noneMatch(l -> l.contains("--reuse-values"));
    }

    @Test
    void theMinimalValuesFileRendersWithTheTenantPolicyAndPlatformPrefixes(@TempDir Path dir) throws IOException {
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(README);
        assertThat(yaml.find()).isTrue();
        Path values = Files.writeString(dir.resolve("virtfleet-values.yaml"), yaml.group(1));
        RenderedManifests rendered = ChartRender.withValuesFile(values);
        assertThat(rendered.all(GenericKubernetesResource.class).stream().filter(o -> "TenantPolicy".equals(o.getKind())))
                .extracting(o -> o.getMetadata().getName()).containsExactly("default");
        assertThat(rendered.all(DaemonSet.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage()).startsWith("registry.example.com/virtfleet/virtfleet-agent:");
    }

    /** The repository README's install section writes its values file with a heredoc; those values render too. */
    @Test
    void theRootReadmeInstallValuesRender(@TempDir Path dir) throws IOException {
        String readme = Files.readString(RepoFiles.ROOT.resolve("README.md"));
        Matcher heredoc = Pattern.compile("cat > virtfleet-values.yaml <<VALUES\n(.*?)\nVALUES\n", Pattern.DOTALL)
                .matcher(readme);
        assertThat(heredoc.find()).as("values heredoc in README.md").isTrue();
        assertThat(readme).contains("kubectl -n virtfleet-system create secret generic virtfleet-s3",
                "helm install virtfleet ./helm/virtfleet -n virtfleet-system -f virtfleet-values.yaml");
        Path values = Files.writeString(dir.resolve("values.yaml"),
                heredoc.group(1).replace("$REG", "registry.example.com/virtfleet"));
        RenderedManifests rendered = ChartRender.withValuesFile(values);
        assertThat(rendered.all(DaemonSet.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName()).isEqualTo("VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES"));
    }
}
