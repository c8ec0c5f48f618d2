package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 digests as the agent writes them: 64 lower-case hex digits. */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    /** A fresh SHA-256 {@link MessageDigest}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    public static boolean isDigest(String value) {
        return value != null && HEX.matcher(value).matches();
    }

    /** Lower-cases a user-supplied digest and checks its form. */
    public static String normalize(String value) {
        String digest = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
        if (!isDigest(digest)) {
            throw AgentException.invalid("imageSha256 must be 64 hex digits, got '" + value + "'");
        }
        return digest;
    }

    /**
     * Reads a {@code .sha256} sidecar: a bare digest, or coreutils {@code sha256sum} output ({@code <hex>  <name>},
     * {@code <hex> *<name>} in binary mode). Only the first line counts.
     */
    public static String parseSidecar(String content, ImageUrl sidecarUrl) {
        String firstLine = content.strip().lines().findFirst().orElse("");
        String digest = firstLine.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (!isDigest(digest)) {
            throw new AgentException(Kind.CONFLICT, AgentErrorReasons.CHECKSUM_UNAVAILABLE,
                    "checksum file " + sidecarUrl + " does not start with a SHA-256 digest");
        }
        return digest;
    }
}
