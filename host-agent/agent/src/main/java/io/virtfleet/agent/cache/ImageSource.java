package io.virtfleet.agent.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * One image location, opened: S3 through the MinIO SDK ({@link S3Source}) or http(s) ({@link HttpSource}).
 * Methods throw {@link io.virtfleet.agent.AgentException} for permanent failures (not found, access denied, refused by
 * policy) and {@link IOException} for failures worth a retry.
 */
interface ImageSource {
    ImageUrl url();

    /** The text of {@code <url>.sha256} (at most a few KiB), or empty when there is no such file. */
    Optional<String> readSidecar() throws IOException;

    /** Size, version and range support of the image; ImageNotFound when it does not exist. */
    RemoteObject stat() throws IOException;

    /**
     * Opens the image's bytes from {@code start} to {@code endExclusive} (-1: to the end), pinned to {@code object}'s
     * version where the server allows.
     */
    HttpTransport.Body open(RemoteObject object, long start, long endExclusive) throws IOException;
}
