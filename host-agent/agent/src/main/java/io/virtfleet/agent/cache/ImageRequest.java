package io.virtfleet.agent.cache;

import io.virtfleet.agent.contract.ImageCredentials;

/**
 * An image wanted in the cache.
 *
 * @param url         {@code s3://}, {@code minio://}, {@code https://} or (allowed hosts) {@code http://}
 * @param sha256      expected digest; null: read {@code <url>.sha256}, and without it cache by URL + ETag, unverified
 * @param credentials object-store credentials; null: the agent's configured ones ({@code toString} masks the secret)
 */
public record ImageRequest(String url, String sha256, ImageCredentials credentials) {
    public static ImageRequest of(String url, String sha256) {
        return new ImageRequest(url, sha256, null);
    }
}
