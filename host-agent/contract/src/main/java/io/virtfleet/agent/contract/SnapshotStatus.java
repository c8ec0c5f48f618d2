package io.virtfleet.agent.contract;

/**
 * A complete snapshot on this host ({@code GET /api/v1/snapshots/{name}}); only complete snapshots exist in the API.
 *
 * @param volume     the volume it captured
 * @param sizeBytes  the captured volume's size
 * @param createdAt  when the capture finished (RFC 3339, UTC)
 * @param method     how the data is held: {@code copy} (a sparse full copy in the same pool) or {@code lvm-snapshot}
 */
public record SnapshotStatus(String name, String volume, String pool, String devicePath, long sizeBytes,
                             String createdAt, String method) {
}
