package io.virtfleet.agent;

import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Recognises "no space left on device" (ENOSPC) wherever it surfaces, as Java's exception text (the JDK puts
 * {@code strerror} in the message or a {@link FileSystemException}'s reason) or as a tool's output ({@code qemu-img}),
 * and turns it into {@link AgentErrorReasons#HOST_DISK_FULL} with a message a person can act on.
 */
public final class DiskFull {
    private static final String ENOSPC = "no space left on device";
    /** EDQUOT: a quota is a full disk for whoever hits it. */
    private static final String EDQUOT = "disk quota exceeded";

    private DiskFull() {
    }

    /** True when {@code e} or one of its causes is an ENOSPC/EDQUOT failure. */
    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : t.getMessage();
            if (inText(text)) {
                return true;
            }
        }
        return false;
    }

    /** True when a tool's output (or any message) reports ENOSPC/EDQUOT. */
    public static boolean inText(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains(ENOSPC) || lower.contains(EDQUOT);
    }

    /**
     * The failure to report.
     *
     * @param where what filled up, for a person: "the image cache's file system (/var/lib/virtfleet/cache)"
     * @param what  what did not fit: "the download of s3://... ran out of space"
     * @param hint  what frees room there
     */
    public static AgentException failure(String where, String what, String hint, Throwable cause) {
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_DISK_FULL,
                where + " is full: " + what + "; " + hint, cause);
    }
}
