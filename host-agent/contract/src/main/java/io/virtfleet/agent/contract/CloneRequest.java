package io.virtfleet.agent.contract;

/**
 * {@code PUT /api/v1/volumes/{name}/clone}: create the volume as a copy of another volume or of a snapshot on this
 * host (exactly one of {@code sourceVolume} and {@code sourceSnapshot}), in the source's pool, in the same namespace.
 *
 * @param sourceOwnerUid the source's owner; must match the recorded one when one is recorded
 * @param ownerUid       the new volume's owner (its RootVolume's UID)
 */
public record CloneRequest(String sourceVolume, String sourceSnapshot, String sourceOwnerUid, String ownerUid) {
}
