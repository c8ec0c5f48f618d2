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
    /** The host ran out of space in the pool or file system. */
    public static final String NO_SPACE = "NoSpace";
    /** A file operation on the host failed (seed ISO, state files). */
    public static final String HOST_ERROR = "HostError";

    private AgentErrorReasons() {
    }
}
