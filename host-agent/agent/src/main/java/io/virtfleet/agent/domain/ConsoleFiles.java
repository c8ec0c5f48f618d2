package io.virtfleet.agent.domain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a domain's consoles live on the host, all in the agent's own console directory: the serial log
 * ({@code <name>.log}, kept as before) and the two UNIX sockets QEMU listens on, named by a digest of the domain name
 * because a socket path must stay under 108 bytes while names may have 201 characters.
 *
 * @param log          everything the guest prints on its serial port, fresh from each start
 * @param serialSocket the serial console's socket (QEMU accepts one client at a time)
 * @param vncSocket    the VNC server's socket, present only while a domain with VNC runs
 */
public record ConsoleFiles(Path log, Path serialSocket, Path vncSocket) {
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    /** Where sockets go when the agent's console directory is too deep for a socket path (on the host's tmpfs). */
    static final Path SHORT_SOCKET_BASE = Path.of("/run/virtfleet-consoles");

    static ConsoleFiles in(Path dir, String name) {
        return in(dir, dir, name);
    }

    /** @param socketDir where the sockets go ({@link #socketDirFor}); the log stays in {@code dir} */
    static ConsoleFiles in(Path dir, Path socketDir, String name) {
        String key = digest(name);
        return new ConsoleFiles(dir.resolve(name + ".log"), socketDir.resolve(key + ".serial"),
                socketDir.resolve(key + ".vnc"));
    }

    /**
     * The console directory itself when its socket paths fit in 107 bytes; otherwise a directory of its own under
     * {@link #SHORT_SOCKET_BASE}, named by a digest of the console directory, so that an agent whose state lives
     * deep in a file system (a work tree, a benchmark's directory) still gets its sockets.
     */
    static Path socketDirFor(Path consoleDir) {
        if (fits(consoleDir)) {
            return consoleDir;
        }
        Path socketDir = SHORT_SOCKET_BASE.resolve(digest(consoleDir.toAbsolutePath().toString()).substring(0, 16));
        if (!fits(socketDir)) {
            throw new IllegalStateException("no socket directory short enough for " + consoleDir);
        }
        return socketDir;
    }

    private static boolean fits(Path socketDir) {
        Path probe = in(socketDir, "x").serialSocket();
        return probe.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }

    List<Path> sockets() {
        return List.of(serialSocket, vncSocket);
    }

    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
