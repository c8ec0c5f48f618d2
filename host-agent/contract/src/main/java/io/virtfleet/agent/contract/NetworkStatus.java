package io.virtfleet.agent.contract;

/**
 * Observed state of a network on one host ({@code GET /api/v1/networks/{name}}).
 *
 * @param libvirtName the libvirt network's name ({@code vf-net-<name>})
 * @param active      whether libvirt runs it (bridge up, dnsmasq serving)
 * @param bridge      the Linux bridge libvirt reports for it
 */
public record NetworkStatus(String name, String libvirtName, boolean active, String bridge, boolean autostart) {
}
