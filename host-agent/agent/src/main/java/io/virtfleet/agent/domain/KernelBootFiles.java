package io.virtfleet.agent.domain;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resolves the host files a direct kernel boot names. Only regular files inside the platform's kernel boot directories
 * qualify: the path must be absolute and plain (no {@code .} or {@code ..}), lie in an allowed directory as written
 * and, with every symlink resolved, still lie in one; it must never reach the agent's own directories (cache, state,
 * pools: other tenants' images and disks). The domain is defined with the resolved path, so a symlink swapped
 * afterwards is not followed by libvirt either.
 */
final class KernelBootFiles {
    private final List<Path> allowedDirs;
    /** The agent's cache, state and pool directories, plus the storage pools' current target paths. */
    private final Supplier<List<Path>> agentDirs;

    /**
     * Fails (the agent does not start) when an allowed directory overlaps one of the agent's configured directories;
     * {@code agentDirs} is asked again for every request (storage pools come and go).
     */
    KernelBootFiles(List<Path> allowedDirs, List<Path> configuredDirs, Supplier<List<Path>> agentDirs) {
        this.allowedDirs = List.copyOf(allowedDirs);
        this.agentDirs = agentDirs;
        for (Path allowed : allowedDirs) {
            for (Path own : configuredDirs) {
                if (overlaps(allowed, own)) {
                    throw new IllegalArgumentException("kernel boot directory " + allowed + " overlaps the agent's own"
                            + " directory " + own + "; it would expose cached images, state or volumes to guests");
                }
            }
        }
    }

    /** The real path of an allowed regular file, or 409 HostPathNotAllowed / BootFileNotFound. */
    Path resolve(String what, String requested) {
        Path path = Path.of(requested);
        if (!path.isAbsolute()) {
            throw notAllowed(what, requested, "is not an absolute path");
        }
        for (Path element : path) {
            if (element.toString().equals("..") || element.toString().equals(".")) {
                throw notAllowed(what, requested, "contains '.' or '..'");
            }
        }
        if (allowedDirs.stream().noneMatch(dir -> path.startsWith(dir) || path.startsWith(realOrSelf(dir)))) {
            throw notAllowed(what, requested, "is outside the kernel boot directories this host allows "
                    + (allowedDirs.isEmpty() ? "(none: direct kernel boot is disabled here)" : allowedDirs.toString()));
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(what, requested);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw notFound(what, requested); // a dangling symlink
        }
        if (allowedDirs.stream().map(KernelBootFiles::realOrSelf).noneMatch(real::startsWith)) {
            throw notAllowed(what, requested, "leads (through a symlink) outside the kernel boot directories");
        }
        if (agentDirs.get().stream().anyMatch(own -> real.startsWith(realOrSelf(own)))) {
            throw notAllowed(what, requested, "leads into the agent's own directories");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw notAllowed(what, requested, "is not a regular file");
        }
        return real;
    }

    private static boolean overlaps(Path allowed, Path own) {
        Path a = realOrSelf(allowed);
        Path b = realOrSelf(own);
        return a.startsWith(b) || b.startsWith(a) || allowed.startsWith(own) || own.startsWith(allowed);
    }

    private static Path realOrSelf(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static AgentException notAllowed(String what, String path, String why) {
        return AgentException.conflict(AgentErrorReasons.HOST_PATH_NOT_ALLOWED, what + " " + path + " " + why);
    }

    private static AgentException notFound(String what, String path) {
        return AgentException.conflict(AgentErrorReasons.BOOT_FILE_NOT_FOUND,
                what + " " + path + " does not exist on this host");
    }
}
