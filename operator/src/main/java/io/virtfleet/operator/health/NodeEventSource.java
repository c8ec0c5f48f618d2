package io.virtfleet.operator.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Wakes the reconciles of every object bound to a node when that node's agent turns unreachable or answers again, so
 * {@code NodeUnreachable} appears within the probe threshold instead of at the next periodic recheck.
 */
public final class NodeEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    private final IndexerResourceCache<P> primaries;
    private final Function<P, String> boundNode;

    public NodeEventSource(AgentHealth health, IndexerResourceCache<P> primaries, Function<P, String> boundNode) {
        super(Void.class, "node-health");
        this.primaries = primaries;
        this.boundNode = boundNode;
        health.onChange(this::nodeChanged);
    }

    /** Node health is a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }

    private void nodeChanged(String node) {
        if (!isRunning()) {
            return;
        }
        primaries.list().filter(p -> Objects.equals(boundNode.apply(p), node))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }
}
