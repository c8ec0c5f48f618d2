package io.virtfleet.agent.contract;

/**
 * A standalone provisioning, {@code POST /api/v1/provision} (off unless the agent enables it): a volume outside
 * Kubernetes filled from an image, for automation that has no cluster. The call waits for the population.
 *
 * @param imageUrl  where the image comes from ({@code s3://bucket/key}, {@code https://...}); must lie under one of
 *                  the agent's provision image prefixes
 * @param sha256    expected SHA-256 of the image; null means "read {@code <imageUrl>.sha256}"
 * @param format    the image's declared format ({@code qcow2} or {@code raw}); null accepts either
 * @param volume    the volume's name in the provision name space: 1-63 characters of a-z, 0-9 and '-', starting with a
 *                  letter or digit; the host volume is {@code vf-prov-<volume>}
 * @param sizeBytes the volume's size in bytes (a JSON number); at least the image's virtual size; a repeat may grow
 *                  the volume, never shrink it
 * @param pool      libvirt storage pool; null means the agent's default pool
 */
public record ProvisionRequest(String imageUrl, String sha256, String format, String volume, long sizeBytes,
                               String pool) {
}
