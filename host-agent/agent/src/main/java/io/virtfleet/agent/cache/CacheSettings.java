package io.virtfleet.agent.cache;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the image cache behaves on this node. Read from {@code VIRTFLEET_AGENT_*} variables by {@link #fromEnvironment};
 * the README lists them.
 *
 * @param budgetBytes    bytes the entries may take; least recently used unpinned entries are evicted beyond it; 0 =
 *                       unlimited
 * @param maxDownloads   downloads running at once on this node; more wait in line
 * @param streams        connections one download uses (parallel ranged GETs, hashed in order); 1 = one GET
 * @param partBytes      bytes one ranged GET asks for when {@code streams > 1}
 * @param verifyOnUse    re-hash an entry before every use instead of trusting its content address
 * @param httpHosts      hosts that may be reached over plain http
 * @param allowedNetworks ranges image URLs (and redirects) may reach although refused by default (loopback, private,
 *                       CGNAT, ULA, link-local, ...; see {@link SourcePolicy})
 * @param s3PlatformPrefixes {@code bucket/} or {@code bucket/prefix} entries the platform's S3 keys may read for requests
 *                       without credentials of their own; empty: none
 * @param connectTimeout TCP (and TLS) connect timeout of one request
 * @param readTimeout    longest silence of a connection before it counts as failed and is retried
 * @param retry          how often and how patiently failed requests and streams are repeated
 * @param limits         what bounds one download: image size, deadline, minimum rate, free space kept on the disk
 */
public record CacheSettings(long budgetBytes, int maxDownloads, int streams, int partBytes, boolean verifyOnUse,
                            Set<String> httpHosts, List<Cidr> allowedNetworks, List<String> s3PlatformPrefixes,
                            Duration connectTimeout,
                            Duration readTimeout, RetryPolicy retry, DownloadLimits limits) {
    /** The budget matches the chart's default: a cache is never unlimited unless asked to be (0). */
    public static final CacheSettings DEFAULTS = new CacheSettings(100L << 30, 2, 1, 8 << 20, false, Set.of(), List.of(),
            List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30), RetryPolicy.DEFAULT, DownloadLimits.DEFAULTS);

    public CacheSettings {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("cache budget must not be negative: " + budgetBytes);
        }
        if (maxDownloads < 1 || streams < 1 || streams > 64) {
            throw new IllegalArgumentException("downloads must be at least 1 and streams 1 to 64: " + maxDownloads
                    + ", " + streams);
        }
        if (partBytes < Downloader.BLOCK_BYTES || partBytes % Downloader.BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("partBytes must be a positive multiple of 1 MiB: " + partBytes);
        }
        httpHosts = Set.copyOf(httpHosts);
        allowedNetworks = List.copyOf(allowedNetworks);
        s3PlatformPrefixes = List.copyOf(s3PlatformPrefixes);
    }

    /**
     * Reads the cache variables through {@code variable} (name without the {@code VIRTFLEET_AGENT_} prefix → trimmed,
     * non-empty value), falling back to {@link #DEFAULTS}.
     */
    public static CacheSettings fromEnvironment(Function<String, Optional<String>> variable) {
        CacheSettings d = DEFAULTS;
        return new CacheSettings(
                variable.apply("CACHE_BUDGET").map(CacheSettings::parseBytes).orElse(d.budgetBytes),
                variable.apply("CACHE_DOWNLOADS").map(Integer::parseInt).orElse(d.maxDownloads),
                variable.apply("CACHE_DOWNLOAD_STREAMS").map(Integer::parseInt).orElse(d.streams),
                variable.apply("CACHE_PART_BYTES").map(CacheSettings::parseBytes).map(Math::toIntExact).orElse(d.partBytes),
                variable.apply("CACHE_VERIFY").map(CacheSettings::parseVerify).orElse(d.verifyOnUse),
                variable.apply("IMAGE_HTTP_HOSTS").map(CacheSettings::parseList).orElse(d.httpHosts),
                variable.apply("IMAGE_ALLOWED_NETWORKS").map(CacheSettings::parseNetworks).orElse(d.allowedNetworks),
                variable.apply("S3_PLATFORM_PREFIXES").map(PlatformPrefixes::parse).orElse(d.s3PlatformPrefixes),
                d.connectTimeout,
                variable.apply("CACHE_READ_TIMEOUT_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(d.readTimeout),
                d.retry,
                DownloadLimits.fromEnvironment(variable));
    }

    public CacheSettings withBudgetBytes(long value) {
        return new CacheSettings(value, maxDownloads, streams, partBytes, verifyOnUse, httpHosts, allowedNetworks, s3PlatformPrefixes,
                connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withMaxDownloads(int value) {
        return new CacheSettings(budgetBytes, value, streams, partBytes, verifyOnUse, httpHosts, allowedNetworks, s3PlatformPrefixes,
                connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withStreams(int value, int valuePartBytes) {
        return new CacheSettings(budgetBytes, maxDownloads, value, valuePartBytes, verifyOnUse, httpHosts,
                allowedNetworks, s3PlatformPrefixes, connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withVerifyOnUse(boolean value) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, value, httpHosts, allowedNetworks, s3PlatformPrefixes,
                connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withHttpHosts(Set<String> value) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, verifyOnUse, value, allowedNetworks, s3PlatformPrefixes,
                connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withAllowedNetworks(List<Cidr> value) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, verifyOnUse, httpHosts, value,
                s3PlatformPrefixes, connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withS3PlatformPrefixes(List<String> value) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, verifyOnUse, httpHosts, allowedNetworks,
                value, connectTimeout, readTimeout, retry, limits);
    }

    public CacheSettings withRetry(RetryPolicy value, Duration valueReadTimeout) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, verifyOnUse, httpHosts, allowedNetworks, s3PlatformPrefixes,
                connectTimeout, valueReadTimeout, value, limits);
    }

    public CacheSettings withLimits(DownloadLimits value) {
        return new CacheSettings(budgetBytes, maxDownloads, streams, partBytes, verifyOnUse, httpHosts, allowedNetworks,
                s3PlatformPrefixes, connectTimeout, readTimeout, retry, value);
    }

    /** {@code 1073741824}, {@code 512Mi}, {@code 100Gi}, {@code 2Ti} (binary) or {@code 100G} (decimal), Kubernetes style. */
    static long parseBytes(String text) {
        String value = text.trim();
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"k", "1000"}, {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] suffix : suffixes) {
            if (value.endsWith(suffix[0])) {
                return Math.multiplyExact(Long.parseLong(value.substring(0, value.length() - suffix[0].length()).trim()),
                        Long.parseLong(suffix[1]));
            }
        }
        return Long.parseLong(value);
    }

    private static boolean parseVerify(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "trust" -> false;
            case "always" -> true;
            default -> throw new IllegalArgumentException("VIRTFLEET_AGENT_CACHE_VERIFY must be trust or always: " + text);
        };
    }

    private static List<Cidr> parseNetworks(String text) {
        return parseList(text).stream().sorted().map(Cidr::parse).toList();
    }

    private static Set<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
