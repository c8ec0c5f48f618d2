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

    static ConsoleFiles in(Path dir, String name) {
        String key = digest(name);
        return new ConsoleFiles(dir.resolve(name + ".log"), dir.resolve(key + ".serial"), dir.resolve(key + ".vnc"));
    }

    /** Fails when the console directory is too deep for a socket path (a host configuration error). */
    static void requireShortEnough(Path dir) {
        ConsoleFiles probe = in(dir, "x");
        if (probe.serialSocket().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("console directory " + dir + " is too long for UNIX socket paths"
                    + " (at most " + (MAX_SOCKET_PATH - 40) + " bytes): choose a shorter STATE_DIR");
        }
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
