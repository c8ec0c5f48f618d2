package io.virtfleet.agent.contract;

import java.util.List;

/**
 * The agent's image cache ({@code GET /api/v1/cache/images}): entries, most recently used first, and the budget
 * eviction keeps them under.
 *
 * @param budgetBytes the byte budget; 0 means unlimited
 * @param usedBytes   bytes held by entries
 */
public record CacheListing(long budgetBytes, long usedBytes, List<CacheEntry> entries) {
}
