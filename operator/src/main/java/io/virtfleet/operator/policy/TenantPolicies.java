package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.virtfleet.crds.v1alpha1.TenantPolicy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster's TenantPolicies and Namespaces, from informer caches (no API call per reconcile), and the effective
 * policy of a namespace. Listeners hear of every change: a policy change may touch any namespace (empty), a
 * Namespace label change only that namespace.
 */
public final class TenantPolicies implements AutoCloseable {
    private final SharedIndexInformer<TenantPolicy> policies;
    private final SharedIndexInformer<Namespace> namespaces;
    private final List<Consumer<Optional<String>>> listeners = new CopyOnWriteArrayList<>();

    public TenantPolicies(KubernetesClient client) {
        this.policies = client.resources(TenantPolicy.class).inform(handler(p -> Optional.empty()));
        this.namespaces = client.namespaces().inform(handler(ns -> Optional.of(ns.getMetadata().getName())));
    }

    public EffectivePolicy of(String namespace) {
        Namespace object = namespaces.getStore().getByKey(namespace);
        return EffectivePolicy.resolve(namespace, EffectivePolicy.labelsOf(namespace, object),
                policies.getStore().list());
    }

    /** @param listener gets the namespace whose policy may have changed, or empty for any namespace */
    public void onChange(Consumer<Optional<String>> listener) {
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
                listeners.forEach(l -> l.accept(namespace));
            }
        };
    }

    @Override
    public void close() {
        policies.close();
        namespaces.close();
    }
}
