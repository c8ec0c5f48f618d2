package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.ImageCredentials;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An image wanted in the cache, parsed once where a request enters the agent ({@link #parse}): every part of the
 * agent after that works on these typed values and never parses the URL or normalizes the digest again.
 *
 * @param url         {@code s3://}, {@code minio://}, {@code https://} or (allowed hosts) {@code http://}
 * @param sha256      expected digest, lower-case hex; null: read {@code <url>.sha256}, and without it cache by
 *                    URL + ETag, unverified
 * @param credentials object-store credentials; null: the platform's, where the platform allows them
 *                    ({@code toString} masks the secret)
 * @param tenant      who asks (the namespace of the volume); {@link #PLATFORM} for the platform's own requests
 *                    (prefetch). A cached image is handed to a tenant only once it proved it can read the source
 * @param redirects   what the source's redirects must pass besides the {@link SourcePolicy}; null:
 *                    {@link RedirectRule#SOURCE_POLICY_ONLY}
 */
public record ImageRequest(ImageUrl url, String sha256, ImageCredentials credentials, String tenant,
                           RedirectRule redirects) {
    /** The platform itself: not a namespace name (those never contain parentheses). */
    public static final String PLATFORM = "(platform)";

    public ImageRequest {
        tenant = tenant == null ? PLATFORM : tenant;
        redirects = redirects == null ? RedirectRule.SOURCE_POLICY_ONLY : redirects;
    }

    public ImageRequest(ImageUrl url, String sha256, ImageCredentials credentials, String tenant) {
        this(url, sha256, credentials, tenant, null);
    }

    /** The same request with its redirects held to {@code rule}. */
    public ImageRequest withRedirects(RedirectRule rule) {
        return new ImageRequest(url, sha256, credentials, tenant, rule);
    }

    /** Parses the URL and normalizes the digest (400 {@code InvalidRequest}/{@code UnsupportedImageUrl} when bad). */
    public static ImageRequest parse(String url, String sha256, ImageCredentials credentials, String tenant) {
        return new ImageRequest(ImageUrl.parse(url), sha256 == null ? null : Sha256.normalize(sha256), credentials,
                tenant);
    }

    public static ImageRequest parse(String url, String sha256, ImageCredentials credentials) {
        return parse(url, sha256, credentials, PLATFORM);
    }

    public static ImageRequest of(String url, String sha256) {
        return parse(url, sha256, null);
    }

    /** The tenant of an agent volume name {@code <namespace>.<name>}: the part before the first dot (all of it without). */
    public static String tenantOf(String volumeName) {
        int dot = volumeName.indexOf('.');
        return dot < 0 ? volumeName : volumeName.substring(0, dot);
    }

    /**
     * Requests with the same credentials (or none) and the same redirect rule may share a download: a request under
     * a stricter rule never receives bytes that came through redirects it would refuse.
     */
    String sharingKey() {
        return credentialsKey() + redirectsKey();
    }

    /** Empty for the usual rule; else the rule's own text (a record's lists its entries). */
    String redirectsKey() {
        return redirects == RedirectRule.SOURCE_POLICY_ONLY ? "" : " redirects " + redirects;
    }

    /** A hash keeps secrets out of the sharing key. */
    private String credentialsKey() {
        if (credentials == null) {
            return "platform";
        }
        byte[] both = (credentials.accessKey() + "\0" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(Sha256.newDigest().digest(both));
    }

    /** A prefetch is the same one as long as URL (as given) and digest are. */
    String prefetchKey() {
        return url.text() + " " + (sha256 == null ? "" : sha256);
    }
}
