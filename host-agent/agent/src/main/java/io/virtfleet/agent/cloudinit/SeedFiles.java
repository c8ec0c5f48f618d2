package io.virtfleet.agent.cloudinit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The three files of a NoCloud seed. {@code userData} and {@code networkConfig} may carry secrets (password hash,
 * extra user-data), so {@link #toString()} shows only the digest.
 */
public record SeedFiles(String userData, String metaData, String networkConfig) {
    public static final String USER_DATA = "user-data";
    public static final String META_DATA = "meta-data";
    public static final String NETWORK_CONFIG = "network-config";

    /** SHA-256 over all three files: tells whether a seed on disk already holds this content. */
    public String digest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : new String[] {userData, metaData, networkConfig}) {
                byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) 0);
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "SeedFiles[sha256=" + digest() + "]";
    }
}
