package io.virtfleet.operator.scheduling;

/**
 * What an object needs from a node.
 *
 * @param storageBytes bytes of pool space (root volume and data disks)
 * @param pool         the pool asked for; null means the node's default pool
 * @param imageSha256  the image's digest when the spec gives it (cache affinity)
 * @param imageUrl     the image's URL (cache affinity through volumes already on the node)
 */
public record Demand(long storageBytes, String pool, long memoryBytes, int vcpus, String imageSha256,
                     String imageUrl) {
    public static Demand storage(long bytes, String pool, String imageSha256, String imageUrl) {
        return new Demand(bytes, pool, 0, 0, imageSha256, imageUrl);
    }
}
