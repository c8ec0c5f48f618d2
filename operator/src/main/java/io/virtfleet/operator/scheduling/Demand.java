package io.virtfleet.operator.scheduling;

import java.util.List;

/**
 * What an object needs from a node.
 *
 * @param storageBytes bytes of pool space (root volume and data disks)
 * @param pool         the pool asked for; null means the node's default pool
 * @param imageSha256  the image's digest when the spec gives it (cache affinity)
 * @param imageUrl     the image's URL (cache affinity through volumes already on the node)
 * @param hostDevices  one resource name per host device asked for (a name twice asks for two devices)
 */
public record Demand(long storageBytes, String pool, long memoryBytes, int vcpus, String imageSha256,
                     String imageUrl, List<String> hostDevices) {
    public Demand {
        hostDevices = hostDevices == null ? List.of() : List.copyOf(hostDevices);
    }

    public Demand(long storageBytes, String pool, long memoryBytes, int vcpus, String imageSha256, String imageUrl) {
        this(storageBytes, pool, memoryBytes, vcpus, imageSha256, imageUrl, List.of());
    }

    public static Demand storage(long bytes, String pool, String imageSha256, String imageUrl) {
        return new Demand(bytes, pool, 0, 0, imageSha256, imageUrl);
    }
}
