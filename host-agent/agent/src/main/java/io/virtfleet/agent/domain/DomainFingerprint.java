package io.virtfleet.agent.domain;

import io.virtfleet.agent.libvirt.LibvirtXml;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What the agent defined, kept in the domain's own {@code <description>}: the SHA-256 of the definition it wrote
 * (and of the seed's content). libvirt fills in much more (addresses, controllers, emulator path), so documents
 * cannot be compared; the fingerprint can. The running instance keeps the fingerprint it was started with, so a
 * persistent definition with another fingerprint means "restart required". What a running domain takes live (current
 * vCPUs and balloon target within the declared maxima) is not part of the fingerprint.
 */
public final class DomainFingerprint {
    private static final String PREFIX = "Defined by the VirtFleet host agent; definition sha256:";

    private DomainFingerprint() {
    }

    /** The definition to send: the model with its fingerprint as description. */
    static DomainXml stamped(DomainXml desired, String seedSha256) {
        return desired.withDescription(PREFIX + of(desired, seedSha256));
    }

    static String of(DomainXml desired, String seedSha256) {
        String document = LibvirtXml.write(desired.withDescription(null).withoutLiveValues()) + "\nseed:" + seedSha256;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Whether this agent defined the domain of that XML (other domains on the host are never named to callers). */
    public static boolean definedByAgent(String libvirtXml) {
        return read(libvirtXml).isPresent();
    }

    /** The fingerprint in a libvirt domain XML, empty when the agent did not define it (or an older agent did). */
    static Optional<String> read(String libvirtXml) {
        return LibvirtXml.parse(libvirtXml).value("/domain/description")
                .filter(text -> text.startsWith(PREFIX))
                .map(text -> text.substring(PREFIX.length()));
    }
}
