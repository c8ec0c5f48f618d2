package io.virtfleet.agent.storage;

/**
 * The read-only image under a copy-on-write volume: always one of the agent's own verified cache entries, with the
 * format the agent inspected (never probed), so the domain definition can spell out the whole chain.
 *
 * @param path   the cache entry's file
 * @param format {@code qcow2} or {@code raw}
 */
public record VolumeBacking(String path, String format) {
}
