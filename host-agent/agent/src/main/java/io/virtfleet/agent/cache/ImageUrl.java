package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.util.Set;

/**
 * An image location in the agent's object store: {@code s3://bucket/key}. {@code minio://bucket/key} means the
 * same (users of MinIO write it that way); both resolve against the configured S3 endpoint.
 */
public record ImageUrl(String bucket, String key, String text) {
    private static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3://", "minio://");

    public static ImageUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw AgentException.invalid("imageUrl is required");
        }
        String scheme = OBJECT_STORE_SCHEMES.stream().filter(text::startsWith).findFirst()
                .orElseThrow(() -> new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.UNSUPPORTED_IMAGE_URL,
                        "image URL " + text + " is not supported: use s3://bucket/key"));
        String path = text.substring(scheme.length());
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.UNSUPPORTED_IMAGE_URL,
                    "image URL " + text + " must name a bucket and a key: s3://bucket/key");
        }
        return new ImageUrl(path.substring(0, slash), path.substring(slash + 1), text);
    }

    /** Where the {@code sha256sum} sidecar of this image lives: the same URL with {@code .sha256} appended. */
    public ImageUrl sidecar() {
        return new ImageUrl(bucket, key + ".sha256", text + ".sha256");
    }

    @Override
    public String toString() {
        return text;
    }
}
