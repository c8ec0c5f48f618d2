package io.virtfleet.agent;

import java.net.URI;
import java.util.Objects;

/** Where {@code s3://bucket/key} image URLs are fetched from. */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey) {
    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
    }

    /** Never shows the secret key: configs get logged. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=" + AgentConfig.mask(secretKey) + "]";
    }
}
