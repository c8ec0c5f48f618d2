package io.virtfleet.agent.storage;

/**
 * A volume ready to be written.
 *
 * @param readsAsZeros true when the volume was just created and reads as zeros (a new sparse file, or a new logical
 *                     volume the agent wiped: {@link StoragePools#newVolumesReadZeros}), so a population need not
 *                     write the image's zero regions
 */
public record PreparedVolume(VolumeInfo volume, boolean readsAsZeros) {
}
