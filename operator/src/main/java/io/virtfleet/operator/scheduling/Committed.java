package io.virtfleet.operator.scheduling;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What is already promised on one node: pool bytes, memory, vCPUs, the images its volumes hold, and the PCI addresses
 * of the host devices assigned (or reserved) there.
 */
public record Committed(long storageBytes, long memoryBytes, int vcpus, Set<String> imageDigests,
                        Set<String> imageUrls, Set<String> deviceAddresses) {
    public Committed(long storageBytes, long memoryBytes, int vcpus, Set<String> imageDigests, Set<String> imageUrls) {
        this(storageBytes, memoryBytes, vcpus, imageDigests, imageUrls, Set.of());
    }

    public static Committed nothing() {
        return new Committed(0, 0, 0, Set.of(), Set.of());
    }

    public Committed plus(Demand demand) {
        return new Committed(storageBytes + demand.storageBytes(), memoryBytes + demand.memoryBytes(),
                vcpus + demand.vcpus(), imageDigests, imageUrls, deviceAddresses);
    }

    public Committed holding(String digest, String url) {
        Set<String> digests = new HashSet<>(imageDigests);
        Set<String> urls = new HashSet<>(imageUrls);
        if (digest != null) {
            digests.add(digest);
        }
        if (url != null) {
            urls.add(url);
        }
        return new Committed(storageBytes, memoryBytes, vcpus, digests, urls, deviceAddresses);
    }

    /** These commitments and the devices at these addresses (a set: one device held twice is held once). */
    public Committed holdingDevices(Collection<String> addresses) {
        Set<String> all = new HashSet<>(deviceAddresses);
        all.addAll(addresses);
        return new Committed(storageBytes, memoryBytes, vcpus, imageDigests, imageUrls, all);
    }
}
