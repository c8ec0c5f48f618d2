package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an image comes from: {@code s3://bucket/key} (also written {@code minio://bucket/key}; both resolve against the
 * agent's S3 endpoint) or {@code https://...} / {@code http://...}. Any other scheme ({@code file:}, {@code ftp:}, ...)
 * is refused here. Whether a plain-http host or an address is allowed is the {@link SourcePolicy}'s call.
 *
 * <p>{@link #toString()} is the form for logs, errors and listings: without query string or user info, which may
 * carry credentials (presigned URLs, tokens). {@link #text()} is the URL as given.
 *
 * @param bucket object-store bucket; null for http(s)
 * @param key    object-store key; null for http(s)
 * @param uri    the http(s) URI; null for the object store
 */
public record ImageUrl(String bucket, String key, URI uri, String text) {
    private static final String USAGE = "use s3://bucket/key, minio://bucket/key or https://host/path";

    public static ImageUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw AgentException.invalid("imageUrl is required");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("minio://")) {
            return objectStore(text, text.substring(text.indexOf("://") + 3));
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return http(text);
        }
        int colon = text.indexOf(':');
        String scheme = colon > 0 && colon < 16 ? text.substring(0, colon) : "this kind of";
        throw unsupported(scheme + " URLs are not supported: " + USAGE);
    }

    public boolean objectStore() {
        return uri == null;
    }

    /** Where the {@code sha256sum} sidecar lives: {@code .sha256} appended to the key or path (a query stays). */
    public ImageUrl sidecar() {
        if (objectStore()) {
            return new ImageUrl(bucket, key + ".sha256", null, text + ".sha256");
        }
        // Built from the raw parts: URI's multi-part constructors would quote the '%' of escapes again.
        String side = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + ".sha256"
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new ImageUrl(null, null, URI.create(side), side);
    }

    @Override
    public String toString() {
        if (objectStore()) {
            return text;
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?…");
    }

    private static ImageUrl objectStore(String text, String path) {
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw unsupported("image URL " + text + " must name a bucket and a key: s3://bucket/key");
        }
        return new ImageUrl(path.substring(0, slash), path.substring(slash + 1), null, text);
    }

    private static ImageUrl http(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw unsupported("image URL is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() <= 1) {
            throw unsupported("image URL must name a host and a path: " + USAGE);
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the URL here: the user info is a credential.
            throw unsupported("image URLs with user info (user:password@) are not supported; use a presigned URL or an s3:// URL with a credentials Secret");
        }
        if (uri.getRawFragment() != null) {
            throw unsupported("image URL must not have a fragment (#...)");
        }
        return new ImageUrl(null, null, uri, text); // kept as given: a presigned query must stay byte for byte
    }

    private static AgentException unsupported(String message) {
        return new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.UNSUPPORTED_IMAGE_URL, message);
    }
}
