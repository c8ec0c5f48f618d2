package io.virtfleet.agent.contract;

import java.util.List;

/**
 * Observed state of a domain ({@code GET /api/v1/domains/{name}}).
 *
 * @param restartRequired the definition changed (vcpus, memory, ...) while the domain ran; a restart applies it
 * @param vncAddress      {@code unix:<socket>} of the running domain's VNC server on the host (agents before consoles
 *                        were sockets: {@code 127.0.0.1:port}); null when there is none. For the operator only: users
 *                        reach VNC through {@link AgentPaths#domainVnc}
 * @param instanceId      the instance-id of the attached cloud-init seed, null when there is none
 * @param macAddresses    the MACs of the domain's NICs as libvirt holds them, in guest order; null from agents that
 *                        predate the field
 * @param hardware        vCPUs and memory of the running domain as libvirt reports them; null when it does not run
 *                        (and from agents that predate the field)
 * @param addresses       addresses libvirt holds for the NICs (anti-spoofing parameters, DHCP leases); null from agents
 *                        that predate the field
 */
public record DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                           String instanceId, List<String> macAddresses, LiveHardware hardware,
                           List<ObservedAddress> addresses) {
    public DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                        String instanceId, List<String> macAddresses, LiveHardware hardware) {
        this(name, uuid, phase, restartRequired, vncAddress, instanceId, macAddresses, hardware, List.of());
    }

    public DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                        String instanceId, List<String> macAddresses) {
        this(name, uuid, phase, restartRequired, vncAddress, instanceId, macAddresses, null, List.of());
    }

    public DomainStatus(String name, String uuid, DomainPhase phase) {
        this(name, uuid, phase, false, null, null, List.of());
    }

    public DomainStatus(String name, String uuid, DomainPhase phase, boolean restartRequired, String vncAddress,
                        String instanceId) {
        this(name, uuid, phase, restartRequired, vncAddress, instanceId, List.of());
    }

    /**
     * What a running domain has now.
     *
     * @param vcpus          vCPUs plugged in now ({@code virsh vcpucount --live --active})
     * @param maxVcpus       the most vCPUs it can take without a restart
     * @param memoryBytes    the balloon's actual size ({@code virsh dommemstat}: actual): what the guest has; it follows
     *                       a new target only as fast as the guest's balloon driver moves (never, without one)
     * @param maxMemoryBytes the memory it was started with: the balloon's ceiling
     */
    public record LiveHardware(int vcpus, int maxVcpus, long memoryBytes, long maxMemoryBytes) {
    }
}
