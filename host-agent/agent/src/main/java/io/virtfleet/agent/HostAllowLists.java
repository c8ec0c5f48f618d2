package io.virtfleet.agent;

import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.device.AllowedHostDevice;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What on the host a request may name, decided by the platform team: the agent refuses everything else even from a
 * caller with a valid token (defence in depth behind the operator's own policy). Empty lists allow nothing, except
 * the agent's default pool, which is always allowed.
 *
 * @param kernelBootDirs absolute directories whose regular files {@code kernelBoot} may name
 *                       ({@code VIRTFLEET_AGENT_KERNEL_BOOT_DIRS}); never the agent's cache, state or pool directories
 * @param bridges        host bridges NICs may attach to ({@code VIRTFLEET_AGENT_ALLOWED_BRIDGES}); an entry ending in
 *                       {@code *} allows every bridge whose name starts with what precedes it
 * @param pools          storage pools a volume request may name besides the default pool
 *                       ({@code VIRTFLEET_AGENT_ALLOWED_POOLS})
 * @param networks       networks the agent may realise and NICs may join ({@code VIRTFLEET_AGENT_ALLOWED_NETWORKS});
 *                       a trailing {@code *} as for bridges; a network's own bridge must be an allowed bridge too
 * @param forwardModes   forward modes those networks may use ({@code VIRTFLEET_AGENT_NETWORK_FORWARD_MODES}:
 *                       {@code nat}, {@code route}, {@code isolated}, {@code bridge})
 * @param firewallOptOut whether a NIC may turn anti-spoofing off ({@code VIRTFLEET_AGENT_ALLOW_FIREWALL_OPT_OUT})
 * @param hostDevices    PCI device models that may be passed through, each under its resource name
 *                       ({@code VIRTFLEET_AGENT_ALLOWED_HOST_DEVICES}: {@code resourceName=vendor:device}, no wildcard)
 */
public record HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools,
                             List<String> networks, Set<NetworkRequest.ForwardMode> forwardModes,
                             boolean firewallOptOut, List<AllowedHostDevice> hostDevices) {
    public static final HostAllowLists NONE = new HostAllowLists(List.of(), List.of(), List.of());

    public HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools) {
        this(kernelBootDirs, bridges, pools, List.of(), Set.of(), false);
    }

    public HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools,
                          List<String> networks, Set<NetworkRequest.ForwardMode> forwardModes, boolean firewallOptOut) {
        this(kernelBootDirs, bridges, pools, networks, forwardModes, firewallOptOut, List.of());
    }

    public HostAllowLists {
        hostDevices = List.copyOf(hostDevices);
        Map<String, String> resourceByIds = new HashMap<>();
        for (AllowedHostDevice device : hostDevices) {
            String ids = device.vendorId() + ":" + device.deviceId();
            String earlier = resourceByIds.putIfAbsent(ids, device.resourceName());
            if (earlier != null) {
                throw new IllegalArgumentException("host device " + ids + " is allowed twice (" + earlier + " and "
                        + device.resourceName() + "): one model has one resource name");
            }
        }
        kernelBootDirs = List.copyOf(kernelBootDirs);
        bridges = List.copyOf(bridges);
        pools = List.copyOf(pools);
        networks = List.copyOf(networks);
        forwardModes = Set.copyOf(forwardModes);
        for (String network : networks) {
            if (network.equals("*")) {
                throw new IllegalArgumentException("allowed networks cannot be '*'; list them, or a prefix such as 'tenant-*'");
            }
        }
        for (Path dir : kernelBootDirs) {
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException("kernel boot directories must be absolute paths: " + dir);
            }
        }
        for (String bridge : bridges) {
            if (bridge.equals("*")) {
                throw new IllegalArgumentException("allowed bridges cannot be '*' (every bridge of the host); "
                        + "list them, or a prefix such as 'br-tenant-*'");
            }
        }
    }

    /** Reads the comma-separated settings; unset means empty (and no opt-out). */
    static HostAllowLists fromEnvironment(Function<String, Optional<String>> vars) {
        return new HostAllowLists(list(vars, "KERNEL_BOOT_DIRS").stream().map(Path::of).toList(),
                list(vars, "ALLOWED_BRIDGES"), list(vars, "ALLOWED_POOLS"), list(vars, "ALLOWED_NETWORKS"),
                list(vars, "NETWORK_FORWARD_MODES").stream().map(NetworkRequest.ForwardMode::of)
                        .collect(Collectors.toSet()),
                vars.apply("ALLOW_FIREWALL_OPT_OUT").map(Boolean::parseBoolean).orElse(false),
                list(vars, "ALLOWED_HOST_DEVICES").stream().map(AllowedHostDevice::parse).toList());
    }

    /** These lists with more assignable host device models. */
    public HostAllowLists withHostDevices(List<AllowedHostDevice> more) {
        List<AllowedHostDevice> all = new java.util.ArrayList<>(hostDevices);
        all.addAll(more);
        return new HostAllowLists(kernelBootDirs, bridges, pools, networks, forwardModes, firewallOptOut, all);
    }

    /** These lists with more networks, forward modes and the opt-out setting. */
    public HostAllowLists withNetworks(List<String> moreNetworks, Set<NetworkRequest.ForwardMode> moreModes,
                                       boolean optOut) {
        List<String> allNetworks = new java.util.ArrayList<>(networks);
        allNetworks.addAll(moreNetworks);
        Set<NetworkRequest.ForwardMode> allModes = new java.util.HashSet<>(forwardModes);
        allModes.addAll(moreModes);
        return new HostAllowLists(kernelBootDirs, bridges, pools, allNetworks, allModes, firewallOptOut || optOut,
                hostDevices);
    }

    public boolean bridgeAllowed(String bridge) {
        return matches(bridges, bridge);
    }

    public boolean networkAllowed(String network) {
        return matches(networks, network);
    }

    private static boolean matches(List<String> entries, String name) {
        return entries.stream().anyMatch(allowed -> allowed.endsWith("*")
                ? name.startsWith(allowed.substring(0, allowed.length() - 1)) : allowed.equals(name));
    }

    public boolean poolAllowed(String pool, String defaultPool) {
        return pool.equals(defaultPool) || pools.contains(pool);
    }

    private static List<String> list(Function<String, Optional<String>> vars, String name) {
        return vars.apply(name).map(value -> Arrays.stream(value.split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).toList()).orElse(List.of());
    }
}
