package io.virtfleet.agent.cache;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The file a download writes, made durable by {@link #finish}. Where the file system accepts O_DIRECT, aligned
 * writes bypass the page cache: on these disks a buffered write followed by {@code fsync} is several times slower
 * than writing directly (host-agent/README.md, "Disk facts"). The unaligned tail of a write, and every write on a
 * file system that refuses O_DIRECT (ramfs, tmpfs before Linux 6.6, some network file systems), go through the page
 * cache; there, after every {@value #FLUSH_EVERY_BYTES} bytes a {@code fdatasync} starts in the background (one at a
 * time), so that the final {@code fsync} finds little left.
 */
final class TargetFile implements Closeable {
    private static final long FLUSH_EVERY_BYTES = 64L << 20;

    private final FileChannel buffered;
    /** Null: the file system refuses O_DIRECT. */
    private final FileChannel direct;
    private final int alignment;
    private final ExecutorService threads;
    private long unflushed;
    private Future<?> running;

    private TargetFile(FileChannel buffered, FileChannel direct, int alignment, ExecutorService threads) {
        this.buffered = buffered;
        this.direct = direct;
        this.alignment = alignment;
        this.threads = threads;
    }

    /**
     * Creates {@code path} (it must not exist) for writing.
     *
     * @param threads runs the background flushes of the page-cache path
     */
    static TargetFile create(Path path, ExecutorService threads) throws IOException {
        FileChannel buffered = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            long blockSize = Files.getFileStore(path).getBlockSize();
            FileChannel direct = blockSize > 0 && blockSize <= DiskWriter.STAGING_BYTES
                    && DiskWriter.STAGING_BYTES % blockSize == 0 ? openDirect(path) : null;
            return new TargetFile(buffered, direct, (int) blockSize, threads);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    private static FileChannel openDirect(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // EINVAL from a file system without O_DIRECT: the page cache it is
        }
    }

    /** Whether aligned writes bypass the page cache. */
    boolean direct() {
        return direct != null;
    }

    /** The alignment O_DIRECT asks of buffer addresses, lengths and file positions. */
    int alignment() {
        return alignment;
    }

    /**
     * Writes all of {@code data} at {@code position}. On the O_DIRECT path {@code data} must be a direct buffer whose
     * start address and {@code position} are multiples of {@link #alignment()}; its length may be anything.
     */
    void write(ByteBuffer data, long position) throws IOException {
        long at = position;
        if (direct != null) {
            int aligned = data.remaining() / alignment * alignment;
            writeFully(direct, data.slice(data.position(), aligned), at);
            data.position(data.position() + aligned);
            at += aligned;
        }
        if (data.hasRemaining()) {
            int bytes = data.remaining();
            writeFully(buffered, data, at);
            if (direct == null) {
                written(bytes);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer data, long position) throws IOException {
        for (long at = position; data.hasRemaining(); ) {
            at += channel.write(data, at);
        }
    }

    private synchronized void written(long bytes) {
        unflushed += bytes;
        if (unflushed >= FLUSH_EVERY_BYTES && (running == null || running.isDone())) {
            unflushed = 0;
            running = threads.submit(() -> {
                buffered.force(false);
                return null;
            });
        }
    }

    /** Forces data and metadata to disk: one {@code fsync} of the file covers what both descriptors wrote. */
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
        buffered.force(true);
    }

    /** Stops a pending background flush: the download failed. */
    synchronized void cancel() {
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        try (buffered) {
            if (direct != null) {
                direct.close();
            }
        }
    }
}
