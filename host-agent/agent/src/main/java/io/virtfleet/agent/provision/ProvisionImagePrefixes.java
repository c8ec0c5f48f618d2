package io.virtfleet.agent.provision;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.cache.ImageUrl;
import io.virtfleet.agent.cache.RedirectRule;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the provisioning call's images may come from ({@code VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES}): URL
 * prefixes such as {@code s3://images/golden/} or {@code https://mirror.example.org/images/}, each ending in '/' so
 * that a prefix is a folder, never part of a host or a name. Compared in one canonical form: scheme and host
 * lower-cased, {@code minio://} as {@code s3://}, the query left out. A URL with dot segments or encoded dots,
 * slashes or backslashes in its path is refused outright: no prefix can vouch for where it leads. Empty: nothing
 * is allowed. As a {@link RedirectRule} it holds every redirect hop of the call's downloads to the same folders.
 */
public record ProvisionImagePrefixes(List<String> entries) implements RedirectRule {
    public static final ProvisionImagePrefixes NONE = new ProvisionImagePrefixes(List.of());
    private static final String SETTING = "VIRTFLEET_AGENT_PROVISION_IMAGE_PREFIXES";

    public ProvisionImagePrefixes {
        entries = List.copyOf(entries);
    }

    /** Parses the comma-separated setting; a malformed entry fails the agent's start. */
    public static ProvisionImagePrefixes parse(String text) {
        return new ProvisionImagePrefixes(Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(ProvisionImagePrefixes::canonicalEntry).toList());
    }

    /** Refuses ({@link AgentErrorReasons#SOURCE_NOT_ALLOWED}) an image URL under none of the prefixes. */
    @Override
    public void check(ImageUrl url) {
        String path = url.objectStore() ? url.key() : url.uri().getRawPath();
        if (!safePath(path)) {
            throw refused("image " + url + " has dot segments or encoded separators in its path; "
                    + "the provisioning call takes only plain paths");
        }
        String canonical = canonical(url);
        if (entries.stream().noneMatch(canonical::startsWith)) {
            throw refused("image " + url + " is not under the provisioning call's image prefixes ("
                    + (entries.isEmpty() ? "none: " + SETTING + " is empty" : String.join(", ", entries)) + ")");
        }
    }

    private static String canonical(ImageUrl url) {
        if (url.objectStore()) {
            return "s3://" + url.bucket() + "/" + url.key();
        }
        URI uri = url.uri();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    private static String canonicalEntry(String entry) {
        URI uri;
        try {
            uri = new URI(entry);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(SETTING + ": not a URL: " + entry, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath();
        boolean objectStore = scheme.equals("s3") || scheme.equals("minio");
        if (!(objectStore || scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null
                || path == null || !path.startsWith("/") || !path.endsWith("/") || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null || !safePath(path)
                || (!objectStore && uri.getHost() == null)) {
            throw new IllegalArgumentException(SETTING + " entries are s3://bucket/folder/ or https://host/folder/ "
                    + "(ending in '/', no query, no user info, no dot segments): " + entry);
        }
        return objectStore ? "s3://" + uri.getRawAuthority() + path
                : scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    private static boolean safePath(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return !lower.contains("%2e") && !lower.contains("%2f") && !lower.contains("%5c") && !lower.contains("\\")
                && Arrays.stream(path.split("/", -1)).noneMatch(segment -> segment.equals(".") || segment.equals(".."));
    }

    private static AgentException refused(String message) {
        return new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.SOURCE_NOT_ALLOWED, message);
    }
}
