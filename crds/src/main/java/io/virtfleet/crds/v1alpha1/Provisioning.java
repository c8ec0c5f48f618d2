package io.virtfleet.crds.v1alpha1;

/**
 * How a root volume gets the image's data. The names follow CDI's clone strategies ({@code copy}, {@code snapshot}):
 * a full copy, or a thin copy-on-write layer over the node's cached image.
 */
public enum Provisioning {
    /** The image is converted into a raw volume of its own (default): no tie to the cache, full write speed. */
    Copy,
    /**
     * A qcow2 overlay whose backing file is the node agent's verified cache entry: Ready in well under a second,
     * the guest's writes go to the overlay, the entry stays pinned in the cache while the volume exists. File-based
     * pools ({@code dir}) only; the agent refuses it for {@code logical} (LVM) pools.
     */
    Overlay
}
