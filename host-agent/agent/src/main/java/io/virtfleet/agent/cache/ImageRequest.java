package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.ImageCredentials;

/**
 * An image wanted in the cache.
 *
 * @param url         {@code s3://}, {@code minio://}, {@code https://} or (allowed hosts) {@code http://}
 * @param sha256      expected digest; null: read {@code <url>.sha256}, and without it cache by URL + ETag, unverified
 * @param credentials object-store credentials; null: the platform's, where the platform allows them
 *                    ({@code toString} masks the secret)
 * @param tenant      who asks (the namespace of the volume); {@link #PLATFORM} for the platform's own requests
 *                    (prefetch). A cached image is handed to a tenant only once it proved it can read the source
 */
public record ImageRequest(String url, String sha256, ImageCredentials credentials, String tenant) {
    /** The platform itself: not a namespace name (those never contain parentheses). */
    public static final String PLATFORM = "(platform)";

    public ImageRequest {
        tenant = tenant == null ? PLATFORM : tenant;
    }

    public ImageRequest(String url, String sha256, ImageCredentials credentials) {
        this(url, sha256, credentials, PLATFORM);
    }

    public static ImageRequest of(String url, String sha256) {
        return new ImageRequest(url, sha256, null);
    }

    /** The tenant of an agent volume name {@code <namespace>.<name>}: the part before the first dot (all of it without). */
    public static String tenantOf(String volumeName) {
        int dot = volumeName.indexOf('.');
        return dot < 0 ? volumeName : volumeName.substring(0, dot);
    }
}
