package io.virtfleet.agent.contract;

import java.util.List;

/**
 * What a host offers, for the operator's scheduler ({@code GET /api/v1/host}): its size, its storage pools and the
 * images already in its cache (cache affinity: a node that holds the image skips the download).
 *
 * @param cpus               logical CPUs of the host
 * @param memoryBytes        physical memory of the host
 * @param freeMemoryBytes    memory not in use right now
 * @param defaultPool        the pool volumes go to when a request names none
 * @param pools              the active storage pools
 * @param cachedImageDigests SHA-256 (lower-case hex) of every image in the cache
 */
public record HostCapacity(String nodeName, int cpus, long memoryBytes, long freeMemoryBytes, String defaultPool,
                           List<Pool> pools,
                           List<String> cachedImageDigests) {
    /** One storage pool: its name, its size and what is left of it. */
    public record Pool(String name, long capacityBytes, long availableBytes) {
    }
}
