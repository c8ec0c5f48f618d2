package io.virtfleet.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.Set;

/**
 * Wakes the reconciles of a namespace whose effective policy changed (a TenantPolicy or the Namespace's labels): an
 * allowance taken away shows as a refusal at once, one granted (or a raised quota) lets a refused object go on at
 * once.
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

    private void changed(String namespace) {
        if (!isRunning()) {
            return;
        }
        primaries.list(namespace).forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }
}
