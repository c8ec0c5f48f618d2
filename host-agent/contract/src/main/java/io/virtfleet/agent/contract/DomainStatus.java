package io.virtfleet.agent.contract;

import java.util.List;

/**
 * Observed state of a domain ({@code GET /api/v1/domains/{name}}).
 *
 * @param restartRequired the definition changed (vcpus, memory, ...) while the domain ran; a restart applies it
 * @param vncAddress      {@code host:port} of the VNC console, null when there is none
 * @param instanceId      the instance-id of the attached cloud-init seed, null when there is none
 * @param macAddresses    the MACs of the domain's NICs as libvirt holds them, in guest order; null from agents that
 *                        predate the field
 */
public record DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                           String instanceId, List<String> macAddresses) {
    public DomainStatus(String name, String uuid, DomainPhase phase) {
        this(name, uuid, phase, false, null, null, List.of());
    }

    public DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                        String instanceId) {
        this(name, uuid, phase, restartRequired, vncAddress, instanceId, List.of());
    }
}
