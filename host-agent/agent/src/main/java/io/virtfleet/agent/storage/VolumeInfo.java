package io.virtfleet.agent.storage;

/** A libvirt storage volume as the agent sees it. */
public record VolumeInfo(String pool, String name, String path, long capacityBytes, boolean blockDevice) {
}
