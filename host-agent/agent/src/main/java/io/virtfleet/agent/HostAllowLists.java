package io.virtfleet.agent;

import io.virtfleet.agent.contract.NetworkRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
 */
public record HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools,
                             List<String> networks, Set<NetworkRequest.ForwardMode> forwardModes,
                             boolean firewallOptOut) {
    public static final HostAllowLists NONE = new HostAllowLists(List.of(), List.of(), List.of());

    public HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools) {
        this(kernelBootDirs, bridges, pools, List.of(), Set.of(), false);
    }

    public HostAllowLists {
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
                vars.apply("ALLOW_FIREWALL_OPT_OUT").map(Boolean::parseBoolean).orElse(false));
    }

    /** These lists with more networks, forward modes and the opt-out setting. */
    public HostAllowLists withNetworks(List<String> moreNetworks, Set<NetworkRequest.ForwardMode> moreModes,
                                       boolean optOut) {
        List<String> allNetworks = new java.util.ArrayList<>(networks);
        allNetworks.addAll(moreNetworks);
        Set<NetworkRequest.ForwardMode> allModes = new java.util.HashSet<>(forwardModes);
        allModes.addAll(moreModes);
        return new HostAllowLists(kernelBootDirs, bridges, pools, allNetworks, allModes, firewallOptOut || optOut);
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
