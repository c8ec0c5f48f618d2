package io.virtfleet.agent.contract;

/**
 * Observed state of a volume ({@code GET /api/v1/volumes/{name}}).
 *
 * @param devicePath     path of the volume on the host (a file in a dir pool, a block device in a logical pool)
 * @param imageSha256    digest of the image the volume holds or is being populated from
 * @param bytesDone      progress of the current step (download or population)
 * @param bytesTotal     size of the current step's work
 * @param populatedToken reprovision token of the completed population; null until populated
 * @param error          why the volume failed when {@code phase == Failed}; while {@code Downloading}, the trouble the
 *                       download is retrying through (e.g. {@code ObjectStoreUnreachable}); null otherwise
 * @param imageVerified  false when no checksum existed anywhere and the image was cached by URL + ETag instead;
 *                       null while unknown
 */
public record VolumeStatus(String name, VolumePhase phase, String devicePath, String imageSha256, long bytesDone,
                           long bytesTotal, String populatedToken, AgentError error, Boolean imageVerified) {
    public VolumeStatus(String name, VolumePhase phase, String devicePath, String imageSha256, long bytesDone,
                        long bytesTotal, String populatedToken, AgentError error) {
        this(name, phase, devicePath, imageSha256, bytesDone, bytesTotal, populatedToken, error, null);
    }
}
