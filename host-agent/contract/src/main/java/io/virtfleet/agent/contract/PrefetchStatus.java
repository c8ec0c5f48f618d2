package io.virtfleet.agent.contract;

/**
 * Progress of a prefetch ({@code POST /api/v1/cache/prefetch}).
 *
 * @param phase         {@code Downloading} (also while queued or verifying), {@code Cached} or {@code Failed}
 * @param imageSha256   the digest; null while an image without checksum is still downloading
 * @param imageVerified true when the digest was checked against {@code imageSha256} or the {@code .sha256} file;
 *                      false when no checksum existed and the image is keyed by URL + ETag/Last-Modified
 * @param error         why it failed; null unless {@code phase == Failed}
 */
public record PrefetchStatus(String imageUrl, String phase, String imageSha256, boolean imageVerified, long bytesDone,
                             long bytesTotal, AgentError error) {
    public static final String DOWNLOADING = "Downloading";
    public static final String CACHED = "Cached";
    public static final String FAILED = "Failed";
}
