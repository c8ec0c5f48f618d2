package io.virtfleet.agent.storage;

/**
 * Written after a volume was populated and flushed; only a volume with a marker is Ready. Stored as JSON in
 * {@code <stateDir>/volumes/<name>.json}.
 *
 * @param imageVerified whether the image's digest was checked against an expected one; false when it came without
 *                      any checksum; null in markers written before this was recorded
 */
public record VolumeMarker(String name, String pool, String imageUrl, String imageSha256, String reprovisionToken,
                           long sizeBytes, String populatedAt, Boolean imageVerified) {
}
