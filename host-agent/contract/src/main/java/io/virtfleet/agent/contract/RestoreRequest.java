package io.virtfleet.agent.contract;

/**
 * {@code POST /api/v1/volumes/{name}/restore}: replace the volume's content with a snapshot of it. Refused while a
 * running domain uses the volume.
 *
 * @param snapshot         a snapshot of this volume
 * @param ownerUid         the volume's owner; must match the recorded one when one is recorded
 * @param snapshotOwnerUid the snapshot's owner; must match the recorded one when one is recorded
 */
public record RestoreRequest(String snapshot, String ownerUid, String snapshotOwnerUid) {
}
