package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one image from its source into a file, hashing it on the way: one pass over the bytes, never a second read.
 *
 * <p>The object is cut into blocks of {@value #BLOCK_BYTES} bytes held in a ring of buffers. Streams (threads, each
 * with one HTTP connection) fill blocks and write each complete block to the file at its offset; the calling thread
 * hashes the blocks strictly in order as they complete and recycles their buffers. With one stream, one GET reads
 * the whole object; with more (and a server that serves ranges), each stream takes the next part of {@code partBytes}
 * with its own ranged GET, so a slow connection does not bound the download. The ring holds {@code streams} parts
 * plus one, so every stream has room to work while the hash catches up; that bounds the memory of a download.
 *
 * <p>A stream that fails transiently (reset, timeout, premature end, 5xx) continues where it stopped with a ranged
 * GET pinned to the same version ({@code If-Match}), after a backoff; a server without ranges is read past the
 * bytes already held. A background flush keeps the dirty pages of the file moving to the disk while the download
 * runs, so the final {@code fsync} has little left to do.
 */
final class Downloader {
    static final int BLOCK_BYTES = 1 << 20;
    /** The first bytes of the image, kept to read its format and virtual size. */
    static final int HEADER_BYTES = 512;
    private static final long FLUSH_EVERY_BYTES = 64L << 20;
    private static final int SINGLE_STREAM_RING_BLOCKS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

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
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return new Transfer(source, object, out, progress).run();
        }
    }

    /** One download's shared state. Block {@code b} lives in ring slot {@code b % ring.length}. */
    private final class Transfer {
        private final ImageSource source;
        private final RemoteObject object;
        private final FileChannel out;
        private final LongConsumer progress;
        private final Flusher flusher;
        private final byte[][] ring;
        private final int[] filled;
        private final boolean[] complete;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Set<HttpTransport.Body> openBodies = ConcurrentHashMap.newKeySet();
        /** Blocks hashed so far: the ring slot of block b is free for it when b < hashed + ring.length. */
        private long hashed;
        /** Number of blocks; -1 until known (the size was not announced and the end has not been reached). */
        private long blockCount;
        private Throwable failure;

        Transfer(ImageSource source, RemoteObject object, FileChannel out, LongConsumer progress) {
            this.source = source;
            this.object = object;
            this.out = out;
            this.progress = progress;
            this.flusher = new Flusher(out);
            this.blockCount = object.sizeBytes() < 0 ? -1 : (object.sizeBytes() + BLOCK_BYTES - 1) / BLOCK_BYTES;
            int ringBlocks = parallel() ? (streams + 1) * partBlocks : SINGLE_STREAM_RING_BLOCKS;
            this.ring = new byte[ringBlocks][];
            this.filled = new int[ringBlocks];
            this.complete = new boolean[ringBlocks];
        }

        private boolean parallel() {
            return streams > 1 && object.rangesSupported() && object.sizeBytes() > (long) partBlocks * BLOCK_BYTES;
        }

        Result run() throws IOException, InterruptedException {
            List<Future<?>> producers = new ArrayList<>();
            if (parallel()) {
                long parts = (blockCount + partBlocks - 1) / partBlocks;
                AtomicInteger nextPart = new AtomicInteger();
                for (int i = 0; i < Math.min(streams, parts); i++) {
                    producers.add(streamThreads.submit(() -> guarded(() -> {
                        for (long part; (part = nextPart.getAndIncrement()) < parts; ) {
                            long first = part * partBlocks;
                            produce(first * BLOCK_BYTES, Math.min((first + partBlocks) * BLOCK_BYTES, object.sizeBytes()));
                        }
                    })));
                }
            } else {
                producers.add(streamThreads.submit(() -> guarded(() -> produce(0, object.sizeBytes()))));
            }
            try {
                Result result = hashInOrder();
                for (Future<?> producer : producers) {
                    producer.get();
                }
                flusher.finish();
                return result;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a download stream failed outside its guard", e.getCause());
            } catch (InterruptedException | IOException | RuntimeException | Error e) {
                fail(e);
                throw e;
            } finally {
                producers.forEach(p -> p.cancel(true));
                flusher.cancel();
            }
        }

        /** The calling thread's part: hash block after block as they complete, then report the digest. */
        private Result hashInOrder() throws IOException, InterruptedException {
            MessageDigest digest = Sha256.newDigest();
            byte[] header = new byte[0];
            long bytes = 0;
            for (long block = 0; ; block++) {
                int slot = awaitComplete(block);
                if (slot < 0) {
                    break;
                }
                byte[] buffer = ring[slot];
                int length = filled[slot];
                digest.update(buffer, 0, length);
                if (block == 0) {
                    header = Arrays.copyOf(buffer, Math.min(length, HEADER_BYTES));
                }
                bytes += length;
                progress.accept(bytes);
                release(slot);
            }
            if (object.sizeBytes() >= 0 && bytes != object.sizeBytes()) {
                throw new IllegalStateException("hashed " + bytes + " bytes of a " + object.sizeBytes() + "-byte object");
            }
            return new Result(HexFormat.of().formatHex(digest.digest()), bytes, header);
        }

        /** Waits until block {@code block} is complete and returns its slot; -1 once past the last block. */
        private int awaitComplete(long block) throws IOException, InterruptedException {
            lock.lockInterruptibly();
            try {
                while (true) {
                    rethrowFailure();
                    if (blockCount >= 0 && block >= blockCount) {
                        return -1;
                    }
                    int slot = (int) (block % ring.length);
                    if (complete[slot] && hashed == block) {
                        return slot;
                    }
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        }

        private void release(int slot) {
            lock.lock();
            try {
                complete[slot] = false;
                filled[slot] = 0;
                hashed++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * One stream: reads bytes {@code [start, end)} ({@code end} -1: to the end of the object) into their blocks,
         * retrying from where it stopped.
         */
        private void produce(long start, long end) throws IOException, InterruptedException {
            long[] position = {start}; // advanced by copy as bytes arrive, also when it ends with an exception
            int failures = 0;
            while (end < 0 || position[0] < end) {
                long before = position[0];
                HttpTransport.Body body = null;
                try {
                    rethrowFailure(); // another stream failed: open nothing more
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
                    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted() || cancelled()) {
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
         * {@code position[0]} at the first byte not yet held. A block is written to the file once complete.
         */
        private void copy(HttpTransport.Body body, long[] position, long end) throws IOException, InterruptedException {
            while (end < 0 || position[0] < end) {
                long block = position[0] / BLOCK_BYTES;
                int slot = awaitSlot(block);
                byte[] buffer = ring[slot];
                int blockLength = end < 0 ? BLOCK_BYTES : (int) Math.min(BLOCK_BYTES, object.sizeBytes() - block * BLOCK_BYTES);
                int offset = (int) (position[0] % BLOCK_BYTES);
                while (offset < blockLength) {
                    int n = body.read(buffer, offset, blockLength - offset);
                    if (n < 0) {
                        filled[slot] = offset;
                        return;
                    }
                    offset += n;
                    position[0] += n;
                }
                filled[slot] = offset;
                writeBlock(slot, block);
            }
        }

        /** The end of an object of unannounced size: its last, partial block is complete too. */
        private void finishUnsized(long size) throws IOException, InterruptedException {
            long lastBlock = size / BLOCK_BYTES;
            int slot = (int) (lastBlock % ring.length);
            if (size % BLOCK_BYTES != 0) {
                writeBlock(slot, lastBlock);
            }
            lock.lock();
            try {
                blockCount = (size + BLOCK_BYTES - 1) / BLOCK_BYTES;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until the ring has room for {@code block} and returns its slot (with a buffer). */
        private int awaitSlot(long block) throws IOException, InterruptedException {
            int slot = (int) (block % ring.length);
            lock.lockInterruptibly();
            try {
                while (block >= hashed + ring.length) {
                    rethrowFailure();
                    changed.await();
                }
                rethrowFailure();
                if (ring[slot] == null) {
                    ring[slot] = new byte[BLOCK_BYTES];
                }
                return slot;
            } finally {
                lock.unlock();
            }
        }

        private void writeBlock(int slot, long block) throws IOException {
            ByteBuffer data = ByteBuffer.wrap(ring[slot], 0, filled[slot]);
            long position = block * BLOCK_BYTES;
            try {
                while (data.hasRemaining()) {
                    position += out.write(data, position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the image to the cache: " + e.getMessage(), e);
            }
            flusher.written(filled[slot]);
            lock.lock();
            try {
                complete[slot] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Runs a stream, turning its failure into the download's failure. */
        private void guarded(StreamWork work) {
            try {
                work.run();
            } catch (Throwable e) {
                fail(e);
            }
        }

        private void fail(Throwable e) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = e;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            openBodies.forEach(HttpTransport.Body::abort); // unblocks streams stuck in a read
        }

        private boolean cancelled() {
            lock.lock();
            try {
                return failure != null;
            } finally {
                lock.unlock();
            }
        }

        private void rethrowFailure() throws IOException {
            if (failure == null) {
                return;
            }
            switch (failure) {
                case IOException e -> throw new IOException(e.getMessage(), e);
                case AgentException e -> throw e;
                case UncheckedIOException e -> throw new IOException(e.getMessage(), e.getCause());
                case RuntimeException e -> throw new IllegalStateException(e.getMessage(), e);
                case Error e -> throw e;
                default -> throw new IOException(failure.getMessage(), failure);
            }
        }
    }

    @FunctionalInterface
    private interface StreamWork {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Keeps the written pages moving to the disk: after every {@value #FLUSH_EVERY_BYTES} bytes it starts a
     * {@code fdatasync} in the background (one at a time), so that {@link #finish}'s {@code fsync} finds little left.
     */
    private final class Flusher {
        private final FileChannel out;
        private long unflushed;
        private Future<?> running;

        Flusher(FileChannel out) {
            this.out = out;
        }

        synchronized void written(long bytes) {
            unflushed += bytes;
            if (unflushed >= FLUSH_EVERY_BYTES && (running == null || running.isDone())) {
                unflushed = 0;
                running = streamThreads.submit(() -> {
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

    private static void closeQuietly(HttpTransport.Body body) {
        try {
            body.close();
        } catch (IOException e) {
            body.abort();
        }
    }
}
