package io.virtfleet.agent.cache;

import io.virtfleet.agent.cache.BlockRing.Reader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The disk side of one download, on a thread of its own so that the network, the hash and the disk overlap: takes
 * the complete blocks from the {@link BlockRing} in order and copies them into one aligned direct buffer (freeing
 * their slot at once): O_DIRECT needs aligned memory. What is staged is written when the buffer is full
 * ({@value #STAGING_BYTES} bytes) or when the next block is not there yet, rather than letting the disk idle: so
 * writes grow by themselves while the disk lags behind the network (large direct writes reach the disk's rate where
 * 1 MiB ones do not, host-agent/README.md, "Disk facts"), and a stalled download holds nothing unwritten.
 */
final class DiskWriter {
    static final int STAGING_BYTES = 8 << 20;

    private final BlockRing ring;
    private final TargetFile file;

    DiskWriter(BlockRing ring, TargetFile file) {
        this.ring = ring;
        this.file = file;
    }

    void run() throws IOException, InterruptedException {
        int alignment = Math.max(1, file.alignment());
        ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES + alignment).alignedSlice(alignment)
                .limit(STAGING_BYTES);
        long stagedAt = 0;
        for (long block = 0; ; block++) {
            if (staging.position() > 0 && !ring.isComplete(block)) {
                stagedAt += writeOut(staging, stagedAt);
            }
            int slot = ring.awaitComplete(block);
            if (slot < 0) {
                break;
            }
            int length = ring.filled(slot);
            if (staging.remaining() < length) {
                stagedAt += writeOut(staging, stagedAt);
            }
            staging.put(ring.buffer(slot), 0, length);
            ring.release(slot, Reader.DISK);
        }
        writeOut(staging, stagedAt);
    }

    /** Writes what is staged at {@code position}; returns its length and leaves the buffer empty. */
    private int writeOut(ByteBuffer staging, long position) throws IOException {
        staging.flip();
        int bytes = staging.remaining();
        file.write(staging, position);
        staging.clear().limit(STAGING_BYTES);
        return bytes;
    }
}
