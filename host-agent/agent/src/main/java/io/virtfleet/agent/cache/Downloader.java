package io.virtfleet.agent.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * Moves one image from its source into a file, hashing it on the way: one pass over the bytes, never a second read.
 *
 * <p>The object is cut into blocks of {@value #BLOCK_BYTES} bytes held in a ring of buffers. Streams (threads, each
 * with one HTTP connection) fill blocks; a writer thread writes them to the file in order, with O_DIRECT where the
 * file system allows, while the calling thread hashes them strictly in order; a buffer is recycled once both are
 * done. With one stream, one GET reads the whole object; with more (and a server that serves ranges), each stream
 * takes the next part of {@code partBytes} with its own ranged GET, so a slow connection does not bound the download. The ring holds {@code streams} parts
 * plus one, so every stream has room to work while the hash catches up; that bounds the memory of a download.
 *
 * <p>A stream that fails transiently (reset, timeout, premature end, 5xx) continues where it stopped with a ranged
 * GET pinned to the same version ({@code If-Match}), after a backoff; a server without ranges is read past the
 * bytes already held. The file is forced to disk before the result is returned.
 *
 * <p>The parts: {@link Transfer} runs one download and hashes, {@link RangeReader} moves byte ranges and resumes them,
 * {@link BlockRing} holds the buffers and the waiting between them, {@link DiskWriter} moves blocks to the
 * {@link TargetFile}.
 */
final class Downloader {
    static final int BLOCK_BYTES = 1 << 20;
    /** The first bytes of the image, kept to read its format and virtual size. */
    static final int HEADER_BYTES = 512;

    private final ExecutorService streamThreads;
    private final RetryPolicy retry;
    private final int streams;
    private final int partBlocks;

    /**
     * @param streamThreads runs the streams and the background flushes; must not bound the number of threads below
     *                      what the concurrent downloads need (a cached pool)
     */
    Downloader(ExecutorService streamThreads, RetryPolicy retry, int streams, int partBytes) {
        this.streamThreads = streamThreads;
        this.retry = retry;
        this.streams = streams;
        this.partBlocks = partBytes / BLOCK_BYTES;
    }

    /** The outcome: the file's SHA-256, its length and its first bytes. */
    record Result(String sha256, long sizeBytes, byte[] header) {
    }

    /**
     * Downloads {@code object} from {@code source} into {@code target} (created; must not exist) and forces it to disk.
     *
     * @param progress called with the number of bytes hashed so far
     */
    Result download(ImageSource source, RemoteObject object, Path target, LongConsumer progress)
            throws IOException, InterruptedException {
        try (TargetFile file = TargetFile.create(target, streamThreads)) {
            return new Transfer(source, object, file, progress, streamThreads, retry, streams, partBlocks).run();
        }
    }
}
