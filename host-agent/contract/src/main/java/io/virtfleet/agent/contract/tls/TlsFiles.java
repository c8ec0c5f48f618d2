package io.virtfleet.agent.contract.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One side's TLS material as mounted from a Kubernetes TLS Secret: its own certificate chain and key, the CA that
 * signs the peer, and the one name the peer's certificate must carry ({@link PeerIdentity}).
 *
 * @param certificate PEM chain presented to the peer ({@code tls.crt})
 * @param key         PEM private key of that certificate ({@code tls.key})
 * @param ca          PEM certificate(s) of the CA that must have signed the peer ({@code ca.crt})
 * @param peerName    DNS/URI SAN or CN the peer's certificate must carry
 */
public record TlsFiles(Path certificate, Path key, Path ca, String peerName) {
    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ca, "ca");
        if (peerName == null || peerName.isBlank()) {
            throw new IllegalArgumentException("the peer's expected certificate name is required");
        }
    }

    /** The files of a Secret mounted as a directory: {@code tls.crt}, {@code tls.key}, {@code ca.crt}. */
    public static TlsFiles inDirectory(Path directory, String peerName) {
        return new TlsFiles(directory.resolve("tls.crt"), directory.resolve("tls.key"), directory.resolve("ca.crt"),
                peerName);
    }
}
