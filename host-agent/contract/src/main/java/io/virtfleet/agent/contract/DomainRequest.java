package io.virtfleet.agent.contract;

/**
 * Desired state of a libvirt domain, sent with {@code PUT /api/v1/domains/{name}}.
 *
 * @param rootVolume name of an agent volume ({@code /api/v1/volumes/{name}}) that must be Ready
 * @param running    whether the domain should be running (true) or defined and shut off (false)
 */
public record DomainRequest(int vcpus, long memoryBytes, String rootVolume, boolean running) {
}
