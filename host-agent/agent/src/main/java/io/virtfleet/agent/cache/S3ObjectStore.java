package io.virtfleet.agent.cache;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** Reads image objects from S3 (MinIO or any S3-compatible store) through the MinIO SDK. */
public final class S3ObjectStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
    /** A checksum file is one line; anything much larger is not one. */
    private static final int MAX_SIDECAR_BYTES = 4096;

    private final MinioClient client;
    private final S3Settings settings;

    public S3ObjectStore(S3Settings settings) {
        this.settings = settings;
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(settings.endpoint().toString())
                .region(settings.region());
        if (settings.accessKey() != null) {
            builder.credentials(settings.accessKey(), settings.secretKey());
        }
        this.client = builder.build();
    }

    /** An object's body and length; the caller closes it. */
    public record ObjectStream(InputStream body, long sizeBytes) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens the object for reading, or fails with ImageNotFound / DownloadFailed. */
    public ObjectStream open(ImageUrl url) {
        GetObjectResponse response = get(url).orElseThrow(() -> AgentException.notFound(
                AgentErrorReasons.IMAGE_NOT_FOUND, "image " + url + " does not exist at " + settings.endpoint()));
        String length = response.headers().get("Content-Length");
        return new ObjectStream(response, length == null ? -1 : Long.parseLong(length));
    }

    /** The object as text, or empty when it does not exist. */
    public Optional<String> readSmallText(ImageUrl url) {
        Optional<GetObjectResponse> response = get(url);
        if (response.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream body = response.get()) {
            return Optional.of(new String(body.readNBytes(MAX_SIDECAR_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw downloadFailed(url, e);
        }
    }

    private Optional<GetObjectResponse> get(ImageUrl url) {
        try {
            return Optional.of(client.getObject(GetObjectArgs.builder().bucket(url.bucket()).object(url.key()).build()));
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw downloadFailed(url, e);
        } catch (MinioException e) {
            throw downloadFailed(url, e);
        }
    }

    static AgentException downloadFailed(ImageUrl url, Exception cause) {
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED,
                "download of " + url + " failed: " + cause.getMessage(), cause);
    }
}
