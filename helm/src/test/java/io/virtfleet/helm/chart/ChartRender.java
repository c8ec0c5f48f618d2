package io.virtfleet.helm.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.virtfleet.helm.RepoFiles;

import java.nio.file.Path;
import java.util.Map;

/** Renders the chart with the real Helm (bundled by helm-java), as `helm template` would. */
public final class ChartRender {
    public static final String RELEASE = "vf";
    public static final String NAMESPACE = "virtfleet-system";
    public static final String KUBE_VERSION = "1.32.0";

    private ChartRender() {
    }

    public static RenderedManifests defaults() {
        return with(Map.of());
    }

    public static RenderedManifests withValuesFile(Path values) {
        return new RenderedManifests(command().withValuesFile(values).call());
    }

    /** Renders with --set overrides; throws IllegalStateException with Helm's message when Helm refuses. */
    public static RenderedManifests with(Map<String, Object> sets) {
        TemplateCommand command = command();
        sets.forEach(command::set);
        return new RenderedManifests(command.call());
    }

    private static TemplateCommand command() {
        // The bundled Helm assumes Kubernetes 1.20 unless told; the chart needs 1.25+.
        // helm-java's template resolves `lookup` against a cluster (there is none here), so the generated TLS Secrets
        // are rendered without looking up existing ones; the lookup itself is checked in the template's text.
        return new Helm(RepoFiles.CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .set("tls.reuseGeneratedSecrets", false);
    }
}
