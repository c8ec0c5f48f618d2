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
 * @param hostDevices        the PCI devices the platform allows this host to assign, each with whether a domain
 *                           holds it; devices whose IDs are not allowed are never listed
 */
public record HostCapacity(String nodeName, int cpus, long memoryBytes, long freeMemoryBytes, String defaultPool,
                           List<Pool> pools,
                           List<String> cachedImageDigests, List<HostDevice> hostDevices) {
    public HostCapacity {
        hostDevices = hostDevices == null ? List.of() : List.copyOf(hostDevices);
    }

    public HostCapacity(String nodeName, int cpus, long memoryBytes, long freeMemoryBytes, String defaultPool,
                        List<Pool> pools, List<String> cachedImageDigests) {
        this(nodeName, cpus, memoryBytes, freeMemoryBytes, defaultPool, pools, cachedImageDigests, List.of());
    }

    /** One storage pool: its name, its size and what is left of it. */
    public record Pool(String name, long capacityBytes, long availableBytes) {
    }

    /**
     * One assignable PCI device.
     *
     * @param resourceName the platform's name for devices with its vendor:device IDs, e.g. {@code gpu.example.com/t4}
     * @param address      its PCI address ({@link PciAddresses})
     * @param iommuGroup   its IOMMU group; null when the host has no IOMMU (then it cannot be assigned at all)
     * @param driver       the host driver bound to it now (e.g. {@code vfio-pci}, {@code nvidia}); null if none is known
     * @param inUse        whether a domain on this host holds it
     * @param usedBy       the domain holding it when this agent defined that domain; null otherwise (a domain the
     *                     agent does not own is not named)
     */
    public record HostDevice(String resourceName, String address, Integer iommuGroup, String driver, boolean inUse,
                             String usedBy) {
    }
}
