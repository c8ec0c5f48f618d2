package io.virtfleet.agent.storage;

/**
 * A volume ready to be written.
 *
 * @param readsAsZeros true when the volume was just created and reads as zeros (a new sparse file), so a population
 *                     need not write the image's zero regions
 */
public record PreparedVolume(VolumeInfo volume, boolean readsAsZeros) {
}
