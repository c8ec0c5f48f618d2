package io.virtfleet.agent.contract;

/**
 * Desired state of a volume, sent with {@code PUT /api/v1/volumes/{name}}. The agent makes the volume match
 * asynchronously; repeating the same request is a no-op.
 *
 * @param imageUrl         where the base image comes from ({@code s3://bucket/key})
 * @param imageSha256      expected SHA-256 of the image; null means "read {@code <imageUrl>.sha256}"
 * @param sizeBytes        size of the volume; must be at least the image's virtual size
 * @param pool             libvirt storage pool; null means the agent's default pool
 * @param reprovisionToken opaque token recorded with the populated volume
 */
public record VolumeRequest(String imageUrl, String imageSha256, long sizeBytes, String pool, String reprovisionToken) {
}
