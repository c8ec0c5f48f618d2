package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.HostAllowLists;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.device.HostDeviceInventory;
import io.virtfleet.agent.storage.StoragePools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The platform's allow-lists applied to a domain request before the agent touches anything: NICs only on allowed
 * bridges and networks, anti-spoofing off only where allowed, direct kernel boot only from files in the allowed
 * directories, host devices only of allowed models that no other domain holds ({@link HostDeviceInventory#check}).
 * Refusals are 409 with {@code BridgeNotAllowed}, {@code NetworkNotAllowed}, {@code FirewallOptOutNotAllowed},
 * {@code HostPathNotAllowed}, {@code HostDeviceNotFound}, {@code HostDeviceNotAllowed} or {@code HostDeviceInUse};
 * the agent refuses even a caller with a valid token.
 */
public final class DomainHostPolicy {
    private final HostAllowLists allowed;
    private final KernelBootFiles bootFiles;
    private final HostDeviceInventory devices;

    /**
     * @param agentDirs the agent's cache, state and pool directories (null entries are skipped); kernel boot files
     *                  never come from there, nor from any storage pool's directory
     */
    public DomainHostPolicy(HostAllowLists allowed, List<Path> agentDirs, StoragePools pools,
                            HostDeviceInventory devices) {
        this.allowed = allowed;
        this.devices = devices;
        List<Path> own = agentDirs.stream().filter(Objects::nonNull).map(p -> p.toAbsolutePath().normalize()).toList();
        this.bootFiles = new KernelBootFiles(allowed.kernelBootDirs(), own, () -> {
            List<Path> all = new ArrayList<>(own);
            all.addAll(pools.targetPaths());
            return all;
        });
    }

    /** The request of domain {@code name} with its boot files replaced by their resolved real paths, or a refusal. */
    DomainRequest apply(String name, DomainRequest request) {
        devices.check(name, request.hostDevices());
        for (DomainRequest.Nic nic : DomainRequests.nullToEmpty(request.nics())) {
            if (nic.bridge() != null && !allowed.bridgeAllowed(nic.bridge())) {
                throw AgentException.conflict(AgentErrorReasons.BRIDGE_NOT_ALLOWED, "bridge " + nic.bridge()
                        + " is not among the bridges this host allows " + allowed.bridges());
            }
            if (nic.network() != null && !allowed.networkAllowed(nic.network())) {
                throw AgentException.conflict(AgentErrorReasons.NETWORK_NOT_ALLOWED, "network " + nic.network()
                        + " is not among the networks this host allows " + allowed.networks());
            }
            if (nic.firewall() != null && nic.firewall().antiSpoofingDisabled() && !allowed.firewallOptOut()) {
                throw AgentException.conflict(AgentErrorReasons.FIREWALL_OPT_OUT_NOT_ALLOWED,
                        "this host does not allow turning a nic's anti-spoofing off");
            }
        }
        DomainRequest.KernelBoot boot = request.kernelBoot();
        if (boot == null) {
            return request;
        }
        Path kernel = bootFiles.resolve("kernel", boot.kernel());
        Path initrd = boot.initrd() == null ? null : bootFiles.resolve("initrd", boot.initrd());
        DomainRequest.KernelBoot resolved = new DomainRequest.KernelBoot(kernel.toString(),
                initrd == null ? null : initrd.toString(), boot.cmdline());
        return request.withKernelBoot(resolved);
    }
}
