package io.virtfleet.agent.contract;

/**
 * Desired snapshot ({@code PUT /api/v1/snapshots/{name}}): a point-in-time, crash-consistent copy of one volume on
 * this host. The snapshot's name and the volume's name share their namespace prefix ({@code <namespace>.}).
 *
 * @param volume         the volume to capture
 * @param volumeOwnerUid the volume's owner (its RootVolume's UID); must match the recorded owner when one is recorded
 * @param ownerUid       the snapshot's owner (its VirtualMachineSnapshot's UID); null: no owner (callers outside
 *                       Kubernetes)
 */
public record SnapshotRequest(String volume, String volumeOwnerUid, String ownerUid) {
}
