package io.virtfleet.agent.cache;

import java.nio.file.Path;

/** An image in the cache: its file (named by its digest) and size. */
public record CachedImage(Path path, String sha256, long sizeBytes) {
}
