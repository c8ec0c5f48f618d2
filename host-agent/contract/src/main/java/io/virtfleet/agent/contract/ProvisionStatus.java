package io.virtfleet.agent.contract;

/**
 * The answer to {@code POST /api/v1/provision}: 200 when {@link VolumePhase#Ready}, 202 while the population still
 * runs at the agent's wait ceiling (repeat the same request to wait on), 409 when it {@link VolumePhase#Failed}.
 *
 * @param volume      the name the request gave
 * @param hostVolume  the libvirt volume's name: {@code vf-prov-<volume>}
 * @param pool        the storage pool holding it
 * @param path        the volume's path on the host; null until it exists
 * @param sizeBytes   the volume's size as asked for (once Ready, its capacity: created or grown to it)
 * @param imageSha256 the digest of the image the volume holds or is being filled from
 * @param bytesDone   progress of the current step (download or population)
 * @param bytesTotal  size of the current step's work
 * @param error       why the population failed; while downloading, the trouble it retries through; null otherwise
 */
public record ProvisionStatus(String volume, String hostVolume, String pool, VolumePhase phase, String path,
                              long sizeBytes, String imageSha256, long bytesDone, long bytesTotal, AgentError error) {
}
