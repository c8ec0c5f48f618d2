package io.virtfleet.agent.contract;

/** The reasons the agent puts in {@link AgentError#reason()}; the operator copies them into conditions. */
public final class AgentErrorReasons {
    public static final String CHECKSUM_MISMATCH = "ChecksumMismatch";
    public static final String CHECKSUM_UNAVAILABLE = "ChecksumUnavailable";
    public static final String IMAGE_NOT_FOUND = "ImageNotFound";
    public static final String UNSUPPORTED_IMAGE_URL = "UnsupportedImageUrl";
    public static final String DOWNLOAD_FAILED = "DownloadFailed";
    /** A cache entry cannot be evicted while a volume is populated from it or a download holds it. */
    public static final String IMAGE_IN_USE = "ImageInUse";
    public static final String VOLUME_TOO_SMALL = "VolumeTooSmall";
    public static final String POPULATE_FAILED = "PopulateFailed";
    public static final String POOL_NOT_FOUND = "PoolNotFound";
    public static final String VOLUME_NOT_FOUND = "VolumeNotFound";
    public static final String VOLUME_NOT_READY = "VolumeNotReady";
    public static final String VOLUME_IN_USE = "VolumeInUse";
    public static final String DOMAIN_NOT_FOUND = "DomainNotFound";
    public static final String INVALID_REQUEST = "InvalidRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String LIBVIRT_ERROR = "LibvirtError";
    /**
     * libvirtd is unreachable (restarting, killed); the agent reconnects by itself and the same request later
     * succeeds. Answered with 503.
     */
    public static final String LIBVIRT_UNAVAILABLE = "LibvirtUnavailable";
    /**
     * A domain asks for more vCPUs or memory than the host has in total: it could never run there. Answered with
     * 409 (the request is well-formed; it conflicts with this host), before libvirt is asked.
     */
    public static final String EXCEEDS_HOST_CAPACITY = "ExceedsHostCapacity";
    /** A volume (root or data disk) was asked to become smaller than it is; volumes only grow. */
    public static final String SHRINK_REFUSED = "ShrinkRefused";
    /** A NIC names a host bridge that does not exist. */
    public static final String BRIDGE_NOT_FOUND = "BridgeNotFound";
    /** UEFI was asked for and the host has no usable UEFI firmware (e.g. the ovmf package is missing). */
    public static final String FIRMWARE_NOT_FOUND = "FirmwareNotFound";
    /** A direct kernel boot names a kernel or initrd that does not exist on the host. */
    public static final String BOOT_FILE_NOT_FOUND = "BootFileNotFound";
    /** The operation is not possible in the domain's current state (e.g. resume of a running domain). */
    public static final String INVALID_STATE = "InvalidState";
    /** A console asked for that the domain does not have now: not running, or no VNC in its definition. */
    public static final String CONSOLE_UNAVAILABLE = "ConsoleUnavailable";
    /**
     * The host's disk is full: a write into the image cache or a storage pool failed with "no space left on device"
     * (ENOSPC), libvirt found too little room for a volume, or a download would take the cache's file system below
     * its free-space reserve. Nothing partial is kept (no cache entry, no Ready volume); it succeeds once space is
     * freed and the request is repeated.
     */
    public static final String HOST_DISK_FULL = "HostDiskFull";
    /**
     * The object store (S3 endpoint) did not answer: connection refused or reset, timeouts, HTTP 5xx, after the
     * download's retries with backoff were used up. Transient: the same request succeeds once the store is back.
     */
    public static final String OBJECT_STORE_UNREACHABLE = "ObjectStoreUnreachable";
    /** The image is larger than the node's maximum image size, announced or as it streamed (unknown length). */
    public static final String IMAGE_TOO_LARGE = "ImageTooLarge";
    /** The download ran past its total deadline. */
    public static final String DOWNLOAD_TIMED_OUT = "DownloadTimedOut";
    /** The download's rate stayed below the node's minimum rate for a whole measuring window (a trickling server). */
    public static final String DOWNLOAD_TOO_SLOW = "DownloadTooSlow";
    /** A file operation on the host failed (seed ISO, state files). */
    public static final String HOST_ERROR = "HostError";

    /**
     * An image that could make a tool read another file (qcow2 backing or external data file), a format outside the
     * allow-list (qcow2, raw), a declared format that differs from the sniffed one, or a header that cannot be read.
     * Refused before any tool opens it; nothing stays in the cache or the pool.
     */
    public static final String UNSAFE_IMAGE = "UnsafeImage";
    /**
     * An image URL the agent will not fetch: a target address outside the allowed networks (loopback, private,
     * CGNAT, ULA, link-local unless the platform allows them), or platform credentials asked for a bucket or prefix
     * the platform did not allow them for.
     */
    public static final String SOURCE_NOT_ALLOWED = "ImageSourceNotAllowed";
    /** A cached image another requester fetched, which this requester's own credentials cannot read at its source. */
    public static final String IMAGE_NOT_AUTHORIZED = "ImageNotAuthorized";
    /** {@code kernelBoot} names a file outside the directories the platform allows (or none are allowed). */
    public static final String HOST_PATH_NOT_ALLOWED = "HostPathNotAllowed";
    /** A NIC names a bridge the platform does not allow. */
    public static final String BRIDGE_NOT_ALLOWED = "BridgeNotAllowed";
    /** A NIC or a network request names a network the platform does not allow. */
    public static final String NETWORK_NOT_ALLOWED = "NetworkNotAllowed";
    /** A network request asks for a forward mode the platform does not allow. */
    public static final String FORWARD_MODE_NOT_ALLOWED = "ForwardModeNotAllowed";
    /** A NIC turns anti-spoofing off where the platform does not allow it. */
    public static final String FIREWALL_OPT_OUT_NOT_ALLOWED = "FirewallOptOutNotAllowed";
    /** A NIC names a network this host has not realised (no {@code PUT /api/v1/networks/{name}} yet). */
    public static final String NETWORK_NOT_FOUND = "NetworkNotFound";
    /** A volume names a storage pool the platform does not allow. */
    public static final String POOL_NOT_ALLOWED = "StoragePoolNotAllowed";
    /** The volume or domain exists and belongs to another object (another owner UID): never adopted, never deleted. */
    public static final String OWNED_BY_ANOTHER = "OwnedByAnotherObject";
    /**
     * The volume's pool cannot hold the provisioning asked for: an Overlay needs a file-based pool ({@code dir});
     * thin snapshots in {@code logical} (LVM) pools are not built.
     */
    public static final String PROVISIONING_NOT_SUPPORTED = "ProvisioningNotSupported";
    public static final String SNAPSHOT_NOT_FOUND = "SnapshotNotFound";
    /**
     * The volume cannot be snapshotted, restored or cloned the way it is held: an Overlay (a qcow2 layer over a cache
     * entry) is refused, and so is an LVM merge-back where the host's LVM cannot do it.
     */
    public static final String SNAPSHOT_NOT_SUPPORTED = "SnapshotNotSupported";
    /** A snapshot, restore or clone names a volume or snapshot of another namespace (name prefix {@code <namespace>.}). */
    public static final String CROSS_NAMESPACE = "CrossNamespaceSource";
    /** A domain asks for a PCI address that is not a device of this host. */
    public static final String HOST_DEVICE_NOT_FOUND = "HostDeviceNotFound";
    /** A domain asks for a PCI device whose vendor:device IDs the platform does not allow on this host. */
    public static final String HOST_DEVICE_NOT_ALLOWED = "HostDeviceNotAllowed";
    /** A domain asks for a PCI device another domain holds: a device is never given to two domains. */
    public static final String HOST_DEVICE_IN_USE = "HostDeviceInUse";
    /** A domain asks for a PCI device without an IOMMU group: the host has no IOMMU (or it is off), vfio cannot assign it. */
    public static final String HOST_DEVICE_NOT_ASSIGNABLE = "HostDeviceNotAssignable";

    private AgentErrorReasons() {
    }
}
