package io.virtfleet.agent.contract;

import java.util.List;
import java.util.Map;

/**
 * The agent's image cache ({@code GET /api/v1/cache/images}): entries, most recently used first, and the budget
 * eviction keeps them under.
 *
 * @param budgetBytes the byte budget; 0 means unlimited
 * @param usedBytes   bytes held by entries
 * @param catalogPins the catalogue pins: VirtualMachineImage name → the SHA-256 the agent keeps for it (see
 *                    {@link PrefetchRequest#catalogPin()}); empty when none
 */
public record CacheListing(long budgetBytes, long usedBytes, List<CacheEntry> entries, Map<String, String> catalogPins) {
    public CacheListing {
        catalogPins = catalogPins == null ? Map.of() : Map.copyOf(catalogPins);
    }

    public CacheListing(long budgetBytes, long usedBytes, List<CacheEntry> entries) {
        this(budgetBytes, usedBytes, entries, Map.of());
    }
}
