package io.virtfleet.agent.storage;

/**
 * Written after a volume was populated and flushed; only a volume with a marker is Ready. Stored as JSON in
 * {@code <stateDir>/volumes/<name>.json}.
 */
public record VolumeMarker(String name, String pool, String imageUrl, String imageSha256, String reprovisionToken,
                           long sizeBytes, String populatedAt) {
}
