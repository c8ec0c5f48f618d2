package io.virtfleet.operator.image;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Wakes the reconciles of the objects that name a catalogue image when that image appears, changes or goes: a volume
 * waiting with ImageNotFound goes on at once, one refused with ImageNotAllowed is looked at again.
 */
public final class CatalogEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    private final IndexerResourceCache<P> primaries;
    private final Function<P, String> catalogOf;

    /** @param catalogOf the catalogue image a primary names; null when none */
    public CatalogEventSource(CatalogImages catalog, IndexerResourceCache<P> primaries, Function<P, String> catalogOf) {
        super(Void.class, "image-catalog");
        this.primaries = primaries;
        this.catalogOf = catalogOf;
        catalog.onChange(this::changed);
    }

    /** Catalogue images are a trigger, not a secondary resource. */
    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }

    private void changed(String image) {
        if (!isRunning()) {
            return;
        }
        primaries.list(p -> Objects.equals(catalogOf.apply(p), image))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }
}
