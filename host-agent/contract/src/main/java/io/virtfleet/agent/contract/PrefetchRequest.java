package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Asks the agent to get an image into its cache ahead of use ({@code POST /api/v1/cache/prefetch}). Repeating the
 * request while the download runs joins it and answers its progress.
 *
 * @param imageUrl    {@code s3://bucket/key}, {@code minio://bucket/key}, {@code https://...} or {@code http://...} (the
 *                    latter only for hosts the agent allows)
 * @param imageSha256 expected SHA-256; null means "read {@code <imageUrl>.sha256}", and without that file the image is
 *                    cached by URL + ETag/Last-Modified and reported unverified
 * @param credentials object-store credentials for this image; null means the agent's configured ones
 * @param catalogPin  the catalogue image (VirtualMachineImage name) this node keeps the image for: once cached, the
 *                    agent pins it durably under this name, so eviction never removes it, until {@code DELETE
 *                    /api/v1/cache/pins/{name}}; null pins nothing (the prefetch holds the image only while it runs)
 *                    and is left out of the JSON, so agents older than the field still take unpinned prefetches
 */
public record PrefetchRequest(String imageUrl, String imageSha256, ImageCredentials credentials,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String catalogPin) {
    public PrefetchRequest(String imageUrl, String imageSha256, ImageCredentials credentials) {
        this(imageUrl, imageSha256, credentials, null);
    }
}
