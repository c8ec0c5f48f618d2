package io.virtfleet.agent.cache;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One download: starts its streams (one GET, or parallel ranged GETs of {@code partBlocks} blocks each) and the
 * {@link DiskWriter}, hashes the blocks strictly in order on the calling thread as they complete, and forces the file
 * to disk at the end: network, disk and hash overlap.
 */
final class Transfer {
    private static final int SINGLE_STREAM_RING_BLOCKS = 16;

    private final RemoteObject object;
    private final LongConsumer progress;
    private final ExecutorService streamThreads;
    private final int streams;
    private final int partBlocks;
    private final TargetFile file;
    private final BlockRing ring;
    private final RangeReader reader;
    private final DiskWriter writer;

    Transfer(ImageSource source, RemoteObject object, TargetFile file, LongConsumer progress,
             ExecutorService streamThreads, RetryPolicy retry, int streams, int partBlocks) {
        this.object = object;
        this.progress = progress;
        this.streamThreads = streamThreads;
        this.streams = streams;
        this.partBlocks = partBlocks;
        this.file = file;
        long blockCount = object.sizeBytes() < 0 ? -1
                : (object.sizeBytes() + Downloader.BLOCK_BYTES - 1) / Downloader.BLOCK_BYTES;
        // Parallel: every stream has a part to fill plus one part of slack while the hash catches up.
        this.ring = new BlockRing(parallel() ? (streams + 1) * partBlocks : SINGLE_STREAM_RING_BLOCKS, blockCount);
        this.reader = new RangeReader(source, object, ring, retry);
        this.writer = new DiskWriter(ring, file);
    }

    private boolean parallel() {
        return streams > 1 && object.rangesSupported()
                && object.sizeBytes() > (long) partBlocks * Downloader.BLOCK_BYTES;
    }

    Downloader.Result run() throws IOException, InterruptedException {
        List<Future<?>> producers = startStreams();
        producers.add(streamThreads.submit(() -> guarded(writer::run)));
        try {
            Downloader.Result result = hashInOrder();
            for (Future<?> producer : producers) {
                producer.get();
            }
            file.finish();
            return result;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a download stream failed outside its guard", e.getCause());
        } catch (InterruptedException | IOException | RuntimeException | Error e) {
            fail(e);
            throw e;
        } finally {
            producers.forEach(p -> p.cancel(true));
            file.cancel();
        }
    }

    private List<Future<?>> startStreams() {
        List<Future<?>> producers = new ArrayList<>();
        long size = object.sizeBytes();
        if (!parallel()) {
            producers.add(streamThreads.submit(() -> guarded(() -> reader.read(0, size))));
            return producers;
        }
        long blocks = (size + Downloader.BLOCK_BYTES - 1) / Downloader.BLOCK_BYTES;
        long parts = (blocks + partBlocks - 1) / partBlocks;
        AtomicInteger nextPart = new AtomicInteger();
        for (int i = 0; i < Math.min(streams, parts); i++) {
            producers.add(streamThreads.submit(() -> guarded(() -> {
                for (long part; (part = nextPart.getAndIncrement()) < parts; ) {
                    long first = part * partBlocks;
                    reader.read(first * Downloader.BLOCK_BYTES,
                            Math.min((first + partBlocks) * Downloader.BLOCK_BYTES, size));
                }
            })));
        }
        return producers;
    }

    /** The calling thread's part: hash block after block as they complete, then report the digest. */
    private Downloader.Result hashInOrder() throws IOException, InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        byte[] header = new byte[0];
        long bytes = 0;
        for (long block = 0; ; block++) {
            int slot = ring.awaitComplete(block);
            if (slot < 0) {
                break;
            }
            byte[] buffer = ring.buffer(slot);
            int length = ring.filled(slot);
            digest.update(buffer, 0, length);
            if (block == 0) {
                header = Arrays.copyOf(buffer, Math.min(length, Downloader.HEADER_BYTES));
            }
            bytes += length;
            progress.accept(bytes);
            ring.release(slot, BlockRing.Reader.HASH);
        }
        if (object.sizeBytes() >= 0 && bytes != object.sizeBytes()) {
            throw new IllegalStateException("hashed " + bytes + " bytes of a " + object.sizeBytes() + "-byte object");
        }
        return new Downloader.Result(HexFormat.of().formatHex(digest.digest()), bytes, header);
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
        ring.fail(e);
        reader.abortAll();
    }

    @FunctionalInterface
    private interface StreamWork {
        void run() throws IOException, InterruptedException;
    }
}
