package io.virtfleet.agent.cache;

import io.minio.MinioClient;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.ImageCredentials;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the {@link ImageSource} for a URL and its caller's credentials (the platform's S3 keys only where
 * {@link PlatformPrefixes} allow them), and calls sources with retries.
 */
final class Sources {
    private final CacheSettings settings;
    private final Optional<S3Settings> s3;
    private final HttpTransport transport;
    private final Map<Optional<ImageCredentials>, MinioClient> s3Clients = new ConcurrentHashMap<>();

    Sources(CacheSettings settings, Optional<S3Settings> s3, HttpTransport transport) {
        this.settings = settings;
        this.s3 = s3;
        this.transport = transport;
    }

    /** @param redirects what the source's redirects must pass besides the {@link SourcePolicy} */
    ImageSource source(ImageUrl url, ImageCredentials credentials, RedirectRule redirects) {
        if (!url.objectStore()) {
            return new HttpSource(url, transport, redirects);
        }
        if (credentials == null) {
            PlatformPrefixes.check(settings.s3PlatformPrefixes(), url);
        }
        S3Settings store = s3.orElseThrow(() -> new AgentException(Kind.CONFLICT,
                AgentErrorReasons.UNSUPPORTED_IMAGE_URL,
                "no object store is configured on this host (VIRTFLEET_AGENT_S3_ENDPOINT) for " + url));
        MinioClient s3Client = s3Clients.computeIfAbsent(Optional.ofNullable(credentials), c -> {
            MinioClient.Builder builder = MinioClient.builder().endpoint(store.endpoint().toString())
                    .region(store.region());
            String accessKey = c.map(ImageCredentials::accessKey).orElse(store.accessKey());
            String secretKey = c.map(ImageCredentials::secretKey).orElse(store.secretKey());
            if (accessKey != null) {
                builder.credentials(accessKey, secretKey);
            }
            MinioClient client = builder.build();
            long readMillis = settings.readTimeout().toMillis();
            client.setTimeout(settings.connectTimeout().toMillis(), readMillis, readMillis);
            return client;
        });
        return new S3Source(url, s3Client, transport, redirects);
    }

    /**
     * A source that kept failing transiently (refused, reset, timed out, 5xx): {@code ObjectStoreUnreachable} for the
     * object store, which the platform runs and whose return ends it; {@code DownloadFailed} for other servers.
     */
    static AgentException unreachable(ImageUrl url, String message, Throwable cause) {
        if (url.objectStore()) {
            return new AgentException(Kind.INTERNAL, AgentErrorReasons.OBJECT_STORE_UNREACHABLE,
                    "the object store does not answer for " + url + ": " + message, cause);
        }
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED, message, cause);
    }

    @FunctionalInterface
    interface SourceCall<T> {
        T call() throws IOException;
    }

    /** Calls the source, retrying transient failures like a download stream does. */
    <T> T retrying(ImageUrl url, String what, SourceCall<T> call) {
        for (int failures = 1; ; failures++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (failures >= settings.retry().attempts()) {
                    throw unreachable(url, "cannot " + what + " after " + failures + " attempts: " + e, e);
                }
                try {
                    Thread.sleep(settings.retry().backoff(failures).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED, "interrupted: " + what);
                }
            }
        }
    }
}
