package io.virtfleet.operator.scheduling;

import java.util.Map;

/** The labels of a node, for nodeSelector. Hypervisors outside the cluster have none. */
@FunctionalInterface
public interface NodeLabels {
    Map<String, String> of(String node);

    static NodeLabels none() {
        return node -> Map.of();
    }
}
