package io.virtfleet.agent;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
 */
public record HostAllowLists(List<Path> kernelBootDirs, List<String> bridges, List<String> pools) {
    public static final HostAllowLists NONE = new HostAllowLists(List.of(), List.of(), List.of());

    public HostAllowLists {
        kernelBootDirs = List.copyOf(kernelBootDirs);
        bridges = List.copyOf(bridges);
        pools = List.copyOf(pools);
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

    /** Reads the three comma-separated settings; unset means empty. */
    static HostAllowLists fromEnvironment(Function<String, Optional<String>> vars) {
        return new HostAllowLists(list(vars, "KERNEL_BOOT_DIRS").stream().map(Path::of).toList(),
                list(vars, "ALLOWED_BRIDGES"), list(vars, "ALLOWED_POOLS"));
    }

    public boolean bridgeAllowed(String bridge) {
        return bridges.stream().anyMatch(allowed -> allowed.endsWith("*")
                ? bridge.startsWith(allowed.substring(0, allowed.length() - 1)) : allowed.equals(bridge));
    }

    public boolean poolAllowed(String pool, String defaultPool) {
        return pool.equals(defaultPool) || pools.contains(pool);
    }

    private static List<String> list(Function<String, Optional<String>> vars, String name) {
        return vars.apply(name).map(value -> Arrays.stream(value.split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).toList()).orElse(List.of());
    }
}
