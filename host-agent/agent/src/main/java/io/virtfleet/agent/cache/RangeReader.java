package io.virtfleet.agent.cache;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one download: each reads a byte range of the object into its blocks in the {@link BlockRing} and
 * hands every complete block to the ring's readers (the hash and the {@link DiskWriter}). A stream that fails
 * transiently (reset, timeout, premature end, 5xx) continues where it stopped with a ranged GET pinned to the same
 * version ({@code If-Match}) after a backoff; a server without ranges is read past the bytes already held.
 */
final class RangeReader {
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class); // one logger for the whole download

    private final ImageSource source;
    private final RemoteObject object;
    private final BlockRing ring;
    private final RetryPolicy retry;
    private final Set<HttpTransport.Body> openBodies = ConcurrentHashMap.newKeySet();

    RangeReader(ImageSource source, RemoteObject object, BlockRing ring, RetryPolicy retry) {
        this.source = source;
        this.object = object;
        this.ring = ring;
        this.retry = retry;
    }

    /** Unblocks streams stuck in a read once the download failed. */
    void abortAll() {
        openBodies.forEach(HttpTransport.Body::abort);
    }

    /**
     * One stream: reads bytes {@code [start, end)} ({@code end} -1: to the end of the object) into their blocks,
     * retrying from where it stopped.
     */
    void read(long start, long end) throws IOException, InterruptedException {
        long[] position = {start}; // advanced by copy as bytes arrive, also when it ends with an exception
        int failures = 0;
        while (end < 0 || position[0] < end) {
            long before = position[0];
            HttpTransport.Body body = null;
            try {
                ring.rethrowFailure(); // another stream failed: open nothing more
                body = source.open(object, position[0], end);
                openBodies.add(body);
                copy(body, position, end);
                if (end < 0) { // unannounced size: the end of the body is the end of the object
                    finishUnsized(position[0]);
                    return;
                }
                if (position[0] < end) {
                    throw new EOFException("the connection ended at byte " + position[0] + " of " + end);
                }
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted() || ring.failed()) {
                    throw e;
                }
                failures = position[0] > before ? 1 : failures + 1;
                if (failures >= retry.attempts()) {
                    throw new IOException("gave up after " + failures + " attempts without progress: "
                            + e.getMessage(), e);
                }
                long millis = retry.backoff(failures).toMillis();
                LOG.info("image download retry url={} fromByte={} attempt={} inMillis={} error={}", source.url(),
                        position[0], failures + 1, millis, e.toString());
                Thread.sleep(millis);
            } finally {
                if (body != null) {
                    openBodies.remove(body);
                    closeQuietly(body);
                }
            }
        }
    }

    /**
     * Reads the body into the blocks from {@code position[0]} until {@code end} or the end of the body, keeping
     * {@code position[0]} at the first byte not yet held. A block is handed on once complete.
     */
    private void copy(HttpTransport.Body body, long[] position, long end) throws IOException, InterruptedException {
        int blockBytes = Downloader.BLOCK_BYTES;
        while (end < 0 || position[0] < end) {
            long block = position[0] / blockBytes;
            int slot = ring.awaitSlot(block, blockBytes);
            byte[] buffer = ring.buffer(slot);
            int blockLength = end < 0 ? blockBytes : (int) Math.min(blockBytes, object.sizeBytes() - block * blockBytes);
            int offset = (int) (position[0] % blockBytes);
            while (offset < blockLength) {
                int n = body.read(buffer, offset, blockLength - offset);
                if (n < 0) {
                    ring.filled(slot, offset);
                    return;
                }
                offset += n;
                position[0] += n;
            }
            ring.filled(slot, offset);
            ring.markComplete(slot, block);
        }
    }

    /** The end of an object of unannounced size: its last, partial block is complete too. */
    private void finishUnsized(long size) {
        long lastBlock = size / Downloader.BLOCK_BYTES;
        if (size % Downloader.BLOCK_BYTES != 0) {
            ring.markComplete(ring.slotOf(lastBlock), lastBlock);
        }
        ring.endAt((size + Downloader.BLOCK_BYTES - 1) / Downloader.BLOCK_BYTES);
    }

    private static void closeQuietly(HttpTransport.Body body) {
        try {
            body.close();
        } catch (IOException e) {
            body.abort();
        }
    }
}
