package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/** Lookups into rendered pod specs that several chart tests share. */
final class PodSpecs {
    private PodSpecs() {
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no container " + name));
    }

    /** The agent DaemonSet's container, as the chart renders it with the release name of {@link ChartRender}. */
    static Container agent(RenderedManifests rendered) {
        return rendered.one(io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "vf-virtfleet-agent").getSpec()
                .getTemplate().getSpec().getContainers().getFirst();
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no env " + name + " in " + container.getName()));
    }

    static boolean hasEnv(Container container, String name) {
        return container.getEnv().stream().anyMatch(e -> e.getName().equals(name));
    }

    /** Volume name → host path, for the hostPath volumes of a pod. */
    static Map<String, String> hostPaths(PodSpec pod) {
        return pod.getVolumes().stream()
                .filter(v -> v.getHostPath() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
    }

    /** Volume name → mount path, for the mounts of a container. */
    static Map<String, String> mounts(Container container) {
        return container.getVolumeMounts().stream()
                .collect(Collectors.toMap(m -> m.getName(), m -> m.getMountPath()));
    }
}
