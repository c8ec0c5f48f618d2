package io.virtfleet.operator.base;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Names of agent-side objects. Namespaces are DNS labels (no dots), so {@code <namespace>.<name>} is unique per node
 * across namespaces.
 */
public final class AgentNames {
    private AgentNames() {
    }

    public static String of(HasMetadata object) {
        return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace + "." + name;
    }
}
