package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/** The manifests of one `helm template` run, parsed by Fabric8 into typed objects (unknown kinds stay generic). */
public record RenderedManifests(String yaml, List<HasMetadata> objects) {
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    public RenderedManifests(String yaml) {
        this(yaml, parse(yaml));
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + type.getSimpleName() + " " + name + " in\n" + yaml));
    }

    /** Objects of a kind Fabric8 has no class for (ServiceMonitor, PodMonitor). */
    public List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    public List<String> kinds() {
        return objects.stream().map(HasMetadata::getKind).toList();
    }

    private static List<HasMetadata> parse(String yaml) {
        return Arrays.stream(DOCUMENT_SEPARATOR.split(yaml))
                .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
                .toList();
    }
}
