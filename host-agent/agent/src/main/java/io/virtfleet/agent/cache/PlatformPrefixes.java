package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.util.Arrays;
import java.util.List;

/**
 * Where the platform's own S3 keys may be used for a request that brings no credentials
 * ({@code VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES}): entries {@code bucket/} (the whole bucket) or {@code bucket/prefix}
 * (keys starting with {@code prefix}; end it with {@code /} to mean a folder). Without this list a tenant could name
 * any object the platform's keys can read. Empty: the platform keys serve no request.
 */
final class PlatformPrefixes {
    private PlatformPrefixes() {
    }

    /** Parses the comma-separated list; a bare {@code bucket} means the whole bucket. */
    static List<String> parse(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(entry -> entry.contains("/") ? entry : entry + "/")
                .peek(entry -> {
                    if (entry.startsWith("/")) {
                        throw new IllegalArgumentException("VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES entries are "
                                + "bucket/ or bucket/prefix: " + entry);
                    }
                })
                .toList();
    }

    static boolean allows(List<String> prefixes, String bucket, String key) {
        for (String entry : prefixes) {
            int slash = entry.indexOf('/');
            if (entry.substring(0, slash).equals(bucket) && key.startsWith(entry.substring(slash + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Refuses the platform's keys for {@code url} unless listed. */
    static void check(List<String> prefixes, ImageUrl url) {
        if (!allows(prefixes, url.bucket(), url.key())) {
            throw new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.SOURCE_NOT_ALLOWED, "image " + url
                    + " comes without credentials, and the platform's S3 keys may read only "
                    + (prefixes.isEmpty() ? "nothing (VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES is empty)"
                    : String.join(", ", prefixes) + " (VIRTFLEET_AGENT_S3_PLATFORM_PREFIXES)")
                    + "; give the image a credentials Secret of its own or ask the platform to list it");
        }
    }
}
