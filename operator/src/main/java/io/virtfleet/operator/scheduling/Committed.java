package io.virtfleet.operator.scheduling;

import java.util.HashSet;
import java.util.Set;

/** What is already promised on one node: pool bytes, memory, vCPUs, and the images its volumes hold. */
public record Committed(long storageBytes, long memoryBytes, int vcpus, Set<String> imageDigests,
                        Set<String> imageUrls) {
    public static Committed nothing() {
        return new Committed(0, 0, 0, Set.of(), Set.of());
    }

    public Committed plus(Demand demand) {
        return new Committed(storageBytes + demand.storageBytes(), memoryBytes + demand.memoryBytes(),
                vcpus + demand.vcpus(), imageDigests, imageUrls);
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
        return new Committed(storageBytes, memoryBytes, vcpus, digests, urls);
    }
}
