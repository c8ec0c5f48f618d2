package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which http(s) locations the agent may download from. Images come over {@code https}; plain {@code http} only from
 * hosts the operator of the node listed. Addresses that reach the node itself or its cloud rather than an image
 * server (link-local, the cloud metadata services, the unspecified address) are refused unless allowed by
 * configuration. Every redirect target is checked again.
 *
 * <p>The S3 endpoint is configuration, not user input, and is not subject to these rules. Limit: the address check
 * resolves the name before the connection does, so a DNS answer that changes in between (rebinding) is not caught.
 */
public final class SourcePolicy {
    /** Metadata services that are not link-local: AWS over IPv6, Alibaba Cloud. */
    private static final Set<String> METADATA_ADDRESSES = Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200");

    private final Set<String> httpHosts;
    private final boolean allowLinkLocal;

    /**
     * @param httpHosts      hosts (names or addresses as written in URLs) that may be reached over plain http
     * @param allowLinkLocal allow link-local and metadata addresses (a mirror on a link-local address, say)
     */
    public SourcePolicy(Set<String> httpHosts, boolean allowLinkLocal) {
        this.httpHosts = httpHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.allowLinkLocal = allowLinkLocal;
    }

    /** Checks what can be checked without the network: scheme and plain-http host. */
    public void checkUrl(ImageUrl url) {
        if (!url.objectStore()) {
            checkScheme(url.uri(), url.toString());
        }
    }

    /**
     * Checks a location about to be connected to (the image URL or a redirect target), including the addresses its
     * name resolves to.
     *
     * @throws UnknownHostException when the name does not resolve (may be transient: the caller retries)
     */
    public void checkTarget(URI target, String label) throws IOException {
        checkScheme(target, label);
        if (allowLinkLocal) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(target.getHost())) {
            if (forbidden(address)) {
                throw refused(label + " resolves to " + address.getHostAddress()
                        + ", a link-local or metadata address; allow it with VIRTFLEET_AGENT_IMAGE_ALLOW_LINK_LOCAL=true");
            }
        }
    }

    static boolean forbidden(InetAddress address) {
        return address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || METADATA_ADDRESSES.contains(address.getHostAddress());
    }

    private void checkScheme(URI target, String label) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https" -> { }
            case "http" -> {
                if (!httpHosts.contains(target.getHost().toLowerCase(Locale.ROOT))) {
                    throw refused(label + " uses plain http, which is allowed only for the hosts in "
                            + "VIRTFLEET_AGENT_IMAGE_HTTP_HOSTS; use https");
                }
            }
            default -> throw refused(label + ": only https (and http for allowed hosts) can be followed, not " + scheme);
        }
    }

    private static AgentException refused(String message) {
        return new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.UNSUPPORTED_IMAGE_URL, message);
    }
}
