package io.virtfleet.agent.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Desired state of a volume, sent with {@code PUT /api/v1/volumes/{name}}. The agent makes the volume match
 * asynchronously; repeating the same request is a no-op.
 *
 * @param imageUrl         where the base image comes from ({@code s3://bucket/key}, {@code https://...})
 * @param imageSha256      expected SHA-256 of the image; null means "read {@code <imageUrl>.sha256}"
 * @param sizeBytes        size of the volume; must be at least the image's virtual size
 * @param pool             libvirt storage pool; null means the agent's default pool
 * @param reprovisionToken opaque token recorded with the populated volume; a different token on a Ready volume
 *                         re-populates it from a fresh copy of the image (refused while a running domain uses it)
 * @param credentials      object-store credentials for this image; null means the agent's configured ones (the
 *                         platform's, usable only for the sources the agent allows them for)
 * @param imageFormat      the format the owner declared ({@code qcow2} or {@code raw}); null accepts either. The
 *                         agent refuses an image whose sniffed format differs ({@link AgentErrorReasons#UNSAFE_IMAGE})
 * @param ownerUid         Kubernetes UID of the object the volume belongs to; the agent records it with the volume
 *                         and refuses requests and deletions that carry another UID
 *                         ({@link AgentErrorReasons#OWNED_BY_ANOTHER}). Null only for callers outside Kubernetes
 * @param provisioning     a full copy or a copy-on-write overlay of the cached image; null means
 *                         {@link VolumeProvisioning#Copy}. It changes on a Ready volume only with a new reprovisionToken
 */
public record VolumeRequest(String imageUrl, String imageSha256, long sizeBytes, String pool, String reprovisionToken,
                            ImageCredentials credentials, String imageFormat, String ownerUid,
                            // left out when null: agents older than overlays refuse unknown fields, and take copies
                            @JsonInclude(JsonInclude.Include.NON_NULL) VolumeProvisioning provisioning) {
    public VolumeRequest(String imageUrl, String imageSha256, long sizeBytes, String pool, String reprovisionToken,
                         ImageCredentials credentials, String imageFormat, String ownerUid) {
        this(imageUrl, imageSha256, sizeBytes, pool, reprovisionToken, credentials, imageFormat, ownerUid, null);
    }

    /** The provisioning asked for, {@link VolumeProvisioning#Copy} when none was given. */
    public VolumeProvisioning provisioningOrDefault() {
        return provisioning == null ? VolumeProvisioning.Copy : provisioning;
    }

    public VolumeRequest(String imageUrl, String imageSha256, long sizeBytes, String pool, String reprovisionToken) {
        this(imageUrl, imageSha256, sizeBytes, pool, reprovisionToken, null, null, null, null);
    }

    public VolumeRequest(String imageUrl, String imageSha256, long sizeBytes, String pool, String reprovisionToken,
                         ImageCredentials credentials) {
        this(imageUrl, imageSha256, sizeBytes, pool, reprovisionToken, credentials, null, null, null);
    }
}
