package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.Optional;
import java.util.Set;

/**
 * Wakes the reconciles a TenantPolicy or Namespace label change may affect: every object for a policy change
 * (its selector may have moved), the namespace's objects for a label change. Policy changes are rare; an allowance
 * taken away shows as a refusal at once, one granted lets a refused object go on at once.
 */
public final class PolicyEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    private final IndexerResourceCache<P> primaries;

    public PolicyEventSource(TenantPolicies policies, IndexerResourceCache<P> primaries) {
        super(Void.class, "tenant-policy");
        this.primaries = primaries;
        policies.onChange(this::changed);
    }

    /** Policies are a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }

    private void changed(Optional<String> namespace) {
        if (!isRunning()) {
            return;
        }
        (namespace.isPresent() ? primaries.list(namespace.get()) : primaries.list())
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }
}
