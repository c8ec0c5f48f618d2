package io.virtfleet.agent.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What bounds one download, so that no image and no server can hold a download slot or the cache's disk forever:
 * images of unknown length and servers that trickle are cut off. Read from {@code VIRTFLEET_AGENT_*} variables by
 * {@link #fromEnvironment}; the README lists them.
 *
 * @param maxImageBytes     largest image accepted: refused up front when announced, cut off when it streams past it
 * @param deadline          longest a download may take in total, retries and backoffs included
 * @param minBytesPerSecond slowest rate tolerated, measured over every {@code rateWindow}; 0 = no minimum
 * @param rateWindow        how long the rate is measured before it is judged (and again after every window)
 * @param freeReserveBytes  bytes the cache's file system keeps free: downloads reserve their bytes before writing,
 *                          and one that would take the file system below this reserve is refused
 */
public record DownloadLimits(long maxImageBytes, Duration deadline, long minBytesPerSecond, Duration rateWindow,
                             long freeReserveBytes) {
    /**
     * 64 GiB covers cloud images (a few GiB) with room to spare; 6 hours is 64 GiB at 3 MiB/s; 64 KiB/s over a minute
     * cuts off a stalled or trickling server well before the deadline without hurting a merely slow link; 2 GiB free
     * keeps the host's logs and the agent's own state writable.
     */
    public static final DownloadLimits DEFAULTS = new DownloadLimits(64L << 30, Duration.ofHours(6), 64L << 10,
            Duration.ofSeconds(60), 2L << 30);

    public DownloadLimits {
        if (maxImageBytes < 1 || minBytesPerSecond < 0 || freeReserveBytes < 0) {
            throw new IllegalArgumentException("the maximum image size must be positive, the minimum rate and the free"
                    + " reserve not negative: " + maxImageBytes + ", " + minBytesPerSecond + ", " + freeReserveBytes);
        }
        if (deadline.isNegative() || deadline.isZero() || rateWindow.isNegative() || rateWindow.isZero()) {
            throw new IllegalArgumentException("the deadline and the rate window must be positive: " + deadline + ", "
                    + rateWindow);
        }
    }

    /** Reads the limits through {@code variable} (name without the prefix → trimmed, non-empty value). */
    static DownloadLimits fromEnvironment(Function<String, Optional<String>> variable) {
        DownloadLimits d = DEFAULTS;
        return new DownloadLimits(
                variable.apply("CACHE_MAX_IMAGE_BYTES").map(CacheSettings::parseBytes).orElse(d.maxImageBytes),
                variable.apply("CACHE_DOWNLOAD_DEADLINE_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(d.deadline),
                variable.apply("CACHE_MIN_BYTES_PER_SECOND").map(CacheSettings::parseBytes).orElse(d.minBytesPerSecond),
                variable.apply("CACHE_RATE_WINDOW_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(d.rateWindow),
                variable.apply("CACHE_FREE_RESERVE").map(CacheSettings::parseBytes).orElse(d.freeReserveBytes));
    }
}
