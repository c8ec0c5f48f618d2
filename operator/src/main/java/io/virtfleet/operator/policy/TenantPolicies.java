package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.virtfleet.crds.v1alpha1.TenantPolicy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster's TenantPolicies and Namespaces, from informer caches (no API call per reconcile), and the effective
 * policy of a namespace. Listeners hear of the namespaces whose effective policy changed: after a TenantPolicy or
 * Namespace change, each namespace looked at before whose policy now resolves differently. So a policy for one team
 * wakes that team's objects only, not the whole fleet (a namespace nobody looked at yet has nothing to wake).
 */
public final class TenantPolicies implements AutoCloseable {
    private final SharedIndexInformer<TenantPolicy> policies;
    private final SharedIndexInformer<Namespace> namespaces;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, EffectivePolicy> seen = new ConcurrentHashMap<>();

    public TenantPolicies(KubernetesClient client) {
        // inform() delivers the initial adds before it returns: resolve() copes with a field not set yet.
        this.policies = client.resources(TenantPolicy.class).inform(handler(p -> Optional.empty()));
        this.namespaces = client.namespaces().inform(handler(ns -> Optional.of(ns.getMetadata().getName())));
    }

    public EffectivePolicy of(String namespace) {
        EffectivePolicy effective = resolve(namespace);
        seen.put(namespace, effective);
        return effective;
    }

    private EffectivePolicy resolve(String namespace) {
        Namespace object = namespaces == null ? null : namespaces.getStore().getByKey(namespace);
        return EffectivePolicy.resolve(namespace, EffectivePolicy.labelsOf(namespace, object),
                policies == null ? List.of() : policies.getStore().list());
    }

    /** Whether {@code selector} selects {@code namespace} by its labels (null selects nothing). */
    public boolean selects(io.fabric8.kubernetes.api.model.LabelSelector selector, String namespace) {
        Namespace object = namespaces == null ? null : namespaces.getStore().getByKey(namespace);
        return LabelSelectors.matches(selector, EffectivePolicy.labelsOf(namespace, object));
    }

    /** @param listener gets each namespace whose effective policy may have changed */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(
            java.util.function.Function<T, Optional<String>> scope) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                notify(scope.apply(object));
            }

            @Override
            public void onUpdate(T before, T after) {
                boolean sameLabels = java.util.Objects.equals(before.getMetadata().getLabels(),
                        after.getMetadata().getLabels());
                if (after instanceof TenantPolicy || !sameLabels) {
                    notify(scope.apply(after));
                }
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                notify(scope.apply(object));
            }

            private void notify(Optional<String> namespace) {
                (namespace.isPresent() ? List.of(namespace.get()) : List.copyOf(seen.keySet())).forEach(name -> {
                    EffectivePolicy before = seen.get(name);
                    if (before != null && !before.equals(resolve(name))) {
                        listeners.forEach(l -> l.accept(name));
                    }
                });
            }
        };
    }

    @Override
    public void close() {
        policies.close();
        namespaces.close();
    }
}
