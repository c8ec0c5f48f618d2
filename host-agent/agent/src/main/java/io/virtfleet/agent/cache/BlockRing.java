package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The buffers of one download and who may touch them: streams fill blocks; two readers, the hashing thread and the
 * disk writer, each consume them strictly in order and independently of each other. Block {@code b} lives in slot
 * {@code b % slots}; its slot is free for it once both readers are past block {@code b - slots}, which bounds the
 * memory of a download. The first failure of any party ends the download for all: every wait rethrows it.
 */
final class BlockRing {
    /** Who consumes every complete block, each in order. */
    enum Reader { HASH, DISK }

    private final byte[][] buffers;
    private final int[] filled;
    private final boolean[] complete;
    /** The block a complete slot holds: a reader ahead of the other must not take an older block for its own. */
    private final long[] blockIn;
    /** Readers that have not yet consumed the slot's complete block. */
    private final int[] unread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Blocks each reader consumed so far: the ring slot of block b is free for it when b < min(consumed) + slots. */
    private final long[] consumed = new long[Reader.values().length];
    /** Number of blocks; -1 until known (the size was not announced and the end has not been reached). */
    private long blockCount;
    private Throwable failure;

    BlockRing(int slots, long blockCount) {
        this.buffers = new byte[slots][];
        this.filled = new int[slots];
        this.complete = new boolean[slots];
        this.blockIn = new long[slots];
        this.unread = new int[slots];
        this.blockCount = blockCount;
    }

    int slotOf(long block) {
        return (int) (block % buffers.length);
    }

    byte[] buffer(int slot) {
        return buffers[slot];
    }

    int filled(int slot) {
        return filled[slot];
    }

    /** Set by the one stream that owns the slot's block until it is complete. */
    void filled(int slot, int bytes) {
        filled[slot] = bytes;
    }

    /** A reader's side: waits until {@code block} is complete and returns its slot; -1 once past the last block. */
    int awaitComplete(long block) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                rethrowFailure();
                if (blockCount >= 0 && block >= blockCount) {
                    return -1;
                }
                int slot = slotOf(block);
                if (complete[slot] && blockIn[slot] == block) {
                    return slot;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code block} is complete now, without waiting: a reader deciding whether to wait or do other work. */
    boolean isComplete(long block) {
        lock.lock();
        try {
            int slot = slotOf(block);
            return complete[slot] && blockIn[slot] == block;
        } finally {
            lock.unlock();
        }
    }

    /** A reader is done with the slot's block; once both are, the buffer is free for the block one ring further. */
    void release(int slot, Reader reader) {
        changeAndSignal(() -> {
            consumed[reader.ordinal()]++;
            if (--unread[slot] == 0) {
                complete[slot] = false;
                filled[slot] = 0;
            }
        });
    }

    /** The streams' side: waits until the ring has room for {@code block} and returns its slot (with a buffer). */
    int awaitSlot(long block, int blockBytes) throws IOException, InterruptedException {
        int slot = slotOf(block);
        lock.lockInterruptibly();
        try {
            while (block >= leastConsumed() + buffers.length) {
                rethrowFailure();
                changed.await();
            }
            rethrowFailure();
            if (buffers[slot] == null) {
                buffers[slot] = new byte[blockBytes];
            }
            return slot;
        } finally {
            lock.unlock();
        }
    }

    private long leastConsumed() {
        long least = Long.MAX_VALUE;
        for (long count : consumed) {
            least = Math.min(least, count);
        }
        return least;
    }

    /** The streams' side: the slot holds all of {@code block}, which the readers may now consume. */
    void markComplete(int slot, long block) {
        changeAndSignal(() -> {
            blockIn[slot] = block;
            unread[slot] = consumed.length;
            complete[slot] = true;
        });
    }

    /** An object of unannounced size ended: from now on the hashing side knows where to stop. */
    void endAt(long blocks) {
        changeAndSignal(() -> blockCount = blocks);
    }

    /** Records the download's first failure and wakes every waiter, which rethrows it. */
    void fail(Throwable e) {
        changeAndSignal(() -> {
            if (failure == null) {
                failure = e;
            }
        });
    }

    /** Every change to the shared state wakes all waiters: the hashing side and the streams wait on one condition. */
    private void changeAndSignal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Rethrows the recorded failure, if any, as what the caller can throw. */
    void rethrowFailure() throws IOException {
        Throwable seen;
        lock.lock();
        try {
            seen = failure;
        } finally {
            lock.unlock();
        }
        if (seen == null) {
            return;
        }
        switch (seen) {
            case IOException e -> throw new IOException(e.getMessage(), e);
            case AgentException e -> throw e;
            case UncheckedIOException e -> throw new IOException(e.getMessage(), e.getCause());
            case RuntimeException e -> throw new IllegalStateException(e.getMessage(), e);
            case Error e -> throw e;
            default -> throw new IOException(seen.getMessage(), seen);
        }
    }
}
