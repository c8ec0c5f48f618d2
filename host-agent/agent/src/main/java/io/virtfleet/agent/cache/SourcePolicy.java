package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which http(s) locations the agent may download from. Images come over {@code https}; plain {@code http} only from
 * hosts the platform listed. Addresses that reach the node itself, its networks or its cloud rather than an image
 * server are refused ({@link AgentErrorReasons#SOURCE_NOT_ALLOWED}) unless they lie in a network the platform allowed
 * ({@code VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS}): loopback, RFC 1918, CGNAT, ULA, link-local, unspecified, multicast,
 * reserved, the cloud metadata addresses, and IPv6 forms that embed such an IPv4 address (mapped, compatible, NAT64,
 * 6to4). Every redirect target is checked again.
 *
 * <p>{@link #lookup} is what connections use: it resolves a name once, checks every answer and returns only checked
 * addresses, so the address connected to is the address checked (no DNS rebinding between check and connect). The S3
 * endpoint is configuration, not user input, and is not subject to these rules.
 */
public final class SourcePolicy {
    /** Resolves a host name; a seam for tests (answers that change between lookups). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final List<Cidr> REFUSED = Arrays.stream(new String[]{
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"}).map(Cidr::parse).toList();
    /** Metadata services outside the ranges above would be listed here; AWS IPv6 and Alibaba fall in ULA and CGNAT. */
    private static final Set<String> METADATA_ADDRESSES = Set.of("169.254.169.254", "fd00:ec2:0:0:0:0:0:254",
            "100.100.100.200");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final Set<String> httpHosts;
    private final List<Cidr> allowedNetworks;
    private final Resolver resolver;

    /**
     * @param httpHosts       hosts (names or addresses as written in URLs) that may be reached over plain http
     * @param allowedNetworks ranges the platform allows although they are refused by default (a mirror on the LAN)
     */
    public SourcePolicy(Set<String> httpHosts, List<Cidr> allowedNetworks) {
        this(httpHosts, allowedNetworks, InetAddress::getAllByName);
    }

    public SourcePolicy(Set<String> httpHosts, List<Cidr> allowedNetworks, Resolver resolver) {
        this.httpHosts = httpHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.allowedNetworks = List.copyOf(allowedNetworks);
        this.resolver = resolver;
    }

    /** Checks what can be checked without the network: scheme and plain-http host. */
    public void checkUrl(ImageUrl url) {
        if (!url.objectStore()) {
            checkScheme(url.uri(), url.toString());
        }
    }

    /** Checks a location about to be requested (the image URL or a redirect target): scheme and plain-http host. */
    public void checkTarget(URI target, String label) {
        checkScheme(target, label);
    }

    /**
     * Resolves {@code host} once and returns its addresses if every one is allowed; the connection must use exactly
     * these. An address literal is checked as it is.
     *
     * @throws UnknownHostException when the name does not resolve (may be transient: the caller retries)
     */
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.SOURCE_NOT_ALLOWED, "image host " + host
                        + " resolves to " + address.getHostAddress() + ", an address images may not come from "
                        + "(loopback, private, CGNAT, ULA, link-local, metadata, multicast or reserved); the platform "
                        + "can allow its network with VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS");
            }
        }
        return List.of(addresses);
    }

    boolean allowed(InetAddress address) {
        for (Cidr network : allowedNetworks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return !refused(address);
    }

    /** Refused by default: the address itself, or the IPv4 address an IPv6 form carries. */
    static boolean refused(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (METADATA_ADDRESSES.contains(address.getHostAddress())
                || REFUSED.stream().anyMatch(range -> range.contains(bytes))) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            return embedded != null && refused(ipv4(embedded));
        }
        return false;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address; null for others. */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeros80 = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros80 && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        boolean compatible = zeros80 && v6[10] == 0 && v6[11] == 0;
        if (mapped || compatible || NAT64.contains(v6)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Arrays.copyOfRange(v6, 2, 6);
        }
        return null;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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
