package io.virtfleet.agent.storage;

import io.virtfleet.agent.contract.VolumeProvisioning;

/**
 * Written after a volume was populated and flushed; only a volume with a marker is Ready. Stored as JSON in
 * {@code <stateDir>/volumes/<name>.json}.
 *
 * @param imageVerified whether the image's digest was checked against an expected one; false when it came without
 *                      any checksum; null in markers written before this was recorded
 * @param provisioning  how the volume holds the image; null (markers written before overlays existed) means Copy
 * @param backingFormat the format of the cache entry {@code imageSha256} under an Overlay; null for a Copy
 */
public record VolumeMarker(String name, String pool, String imageUrl, String imageSha256, String reprovisionToken,
                           long sizeBytes, String populatedAt, Boolean imageVerified, VolumeProvisioning provisioning,
                           String backingFormat) {
    public VolumeMarker(String name, String pool, String imageUrl, String imageSha256, String reprovisionToken,
                        long sizeBytes, String populatedAt, Boolean imageVerified) {
        this(name, pool, imageUrl, imageSha256, reprovisionToken, sizeBytes, populatedAt, imageVerified, null, null);
    }

    VolumeProvisioning provisioningOrDefault() {
        return provisioning == null ? VolumeProvisioning.Copy : provisioning;
    }

    VolumeMarker withSize(long bytes) {
        return new VolumeMarker(name, pool, imageUrl, imageSha256, reprovisionToken, bytes, populatedAt, imageVerified,
                provisioning, backingFormat);
    }
}
