package io.virtfleet.agent.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The file a download writes: blocks at their offsets, and the written pages kept moving to the disk: after every
 * {@value #FLUSH_EVERY_BYTES} bytes it starts a {@code fdatasync} in the background (one at a time), so that
 * {@link #finish}'s {@code fsync} finds little left.
 */
final class TargetFile {
    private static final long FLUSH_EVERY_BYTES = 64L << 20;

    private final FileChannel out;
    private final ExecutorService threads;
    private long unflushed;
    private Future<?> running;

    TargetFile(FileChannel out, ExecutorService threads) {
        this.out = out;
        this.threads = threads;
    }

    /** Writes all of {@code data} at {@code position}; any thread, any order. */
    void write(ByteBuffer data, long position) {
        int bytes = data.remaining();
        try {
            for (long at = position; data.hasRemaining(); ) {
                at += out.write(data, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image to the cache: " + e.getMessage(), e);
        }
        written(bytes);
    }

    private synchronized void written(long bytes) {
        unflushed += bytes;
        if (unflushed >= FLUSH_EVERY_BYTES && (running == null || running.isDone())) {
            unflushed = 0;
            running = threads.submit(() -> {
                out.force(false);
                return null;
            });
        }
    }

    void finish() throws IOException, InterruptedException {
        Future<?> last;
        synchronized (this) {
            last = running;
        }
        if (last != null) {
            try {
                last.get();
            } catch (ExecutionException e) {
                throw new IOException("cannot flush the image to disk: " + e.getCause().getMessage(), e.getCause());
            }
        }
        out.force(true);
    }

    synchronized void cancel() {
        if (running != null) {
            running.cancel(false);
        }
    }
}
