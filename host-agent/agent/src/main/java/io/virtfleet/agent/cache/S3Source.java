package io.virtfleet.agent.cache;

import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An image in the S3 object store (MinIO or any S3 API), addressed as {@code s3://bucket/key}. The MinIO SDK does
 * what needs S3 knowledge: endpoint, region, credentials, signing, stat and error codes. The image's bytes travel over
 * {@link HttpTransport} on GETs the SDK presigned (SigV4, valid for an hour, signed afresh for every request), the
 * same fast path {@code https://} images take.
 */
final class S3Source implements ImageSource {
    /** A checksum file is one line; anything much larger is not one. */
    static final int MAX_SIDECAR_BYTES = 4096;
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject", "NotFound");
    private static final Set<String> TRANSIENT = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "XMinioServerNotInitialized");

    private final ImageUrl url;
    private final MinioClient client;
    private final HttpTransport transport;
    private final RedirectRule redirects;

    S3Source(ImageUrl url, MinioClient client, HttpTransport transport, RedirectRule redirects) {
        this.url = url;
        this.client = client;
        this.transport = transport;
        this.redirects = redirects;
    }

    @Override
    public ImageUrl url() {
        return url;
    }

    @Override
    public Optional<String> readSidecar() throws IOException {
        ImageUrl sidecar = url.sidecar();
        try (InputStream body = client.getObject(GetObjectArgs.builder().bucket(sidecar.bucket())
                .object(sidecar.key()).build())) {
            return Optional.of(new String(body.readNBytes(MAX_SIDECAR_BYTES), StandardCharsets.UTF_8));
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw classify(e, sidecar);
        } catch (MinioException e) {
            throw classify(e, sidecar);
        } catch (RuntimeException e) {
            throw networkFailure(e);
        }
    }

    @Override
    public RemoteObject stat() throws IOException {
        try {
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(url.bucket()).object(url.key()).build());
            String etag = stat.etag() == null || stat.etag().isEmpty() ? null : quoted(stat.etag());
            String lastModified = stat.lastModified() == null ? null
                    : DateTimeFormatter.RFC_1123_DATE_TIME.format(stat.lastModified());
            return new RemoteObject(stat.size(), etag, lastModified, true);
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) {
                throw notFound();
            }
            throw classify(e, url);
        } catch (MinioException e) {
            throw classify(e, url);
        } catch (RuntimeException e) {
            throw networkFailure(e);
        }
    }

    @Override
    public HttpTransport.Body open(RemoteObject object, long start, long endExclusive) throws IOException {
        return transport.openRange(presignedGet(), object, start, endExclusive, url.toString(), false, redirects);
    }

    private URI presignedGet() throws IOException {
        try {
            return URI.create(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET).bucket(url.bucket()).object(url.key()).expiry(1, TimeUnit.HOURS).build()));
        } catch (MinioException e) {
            throw classify(e, url);
        }
    }

    /**
     * The MinIO SDK reports a connection that failed (refused, reset, timed out) as an unchecked exception around the
     * {@link IOException}: that is transient like any network failure. Anything else is rethrown as it is.
     */
    private static IOException networkFailure(RuntimeException e) {
        if (e instanceof AgentException) {
            throw e;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        throw e;
    }

    private AgentException notFound() {
        return AgentException.notFound(AgentErrorReasons.IMAGE_NOT_FOUND, "image " + url + " does not exist");
    }

    /** Server trouble and network failures are transient; S3 errors such as AccessDenied are not. */
    private static IOException classify(MinioException e, ImageUrl what) {
        if (e instanceof ErrorResponseException error) {
            String code = error.errorResponse().code();
            if (!TRANSIENT.contains(code)) {
                throw HttpTransport.failed("download of " + what + " failed: " + code + " " + error.errorResponse().message());
            }
            return new HttpTransport.TransientFailure(what + ": " + code);
        }
        if (e instanceof ServerException server) {
            return new HttpTransport.TransientFailure(what + ": HTTP " + server.statusCode());
        }
        if (e.getCause() instanceof IOException io) {
            return io;
        }
        throw HttpTransport.failed("download of " + what + " failed: " + e.getMessage());
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") || etag.startsWith("W/") ? etag : "\"" + etag + "\"";
    }
}
