package io.virtfleet.agent.cache;

import io.virtfleet.agent.DiskFull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The free space of the cache's file system, shared by the downloads that run at once: a download reserves its bytes
 * before it writes them (all of them when the size is announced, chunk by chunk as they stream otherwise), and a
 * reservation that would leave less than {@code freeReserveBytes} free, counting what the other downloads reserved
 * and have not written yet, is refused with {@code HostDiskFull}. So two downloads that each fit alone cannot both
 * start and fill the disk halfway through.
 */
final class SpaceReservations {
    private final Path dir;
    private final FileStore store;
    private final long freeReserveBytes;
    /** Guarded by {@code this}. */
    private final Set<Reservation> live = new HashSet<>();

    SpaceReservations(Path dir, long freeReserveBytes) {
        this.dir = dir;
        this.freeReserveBytes = freeReserveBytes;
        try {
            this.store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + dir, e);
        }
    }

    /** A reservation of nothing yet; {@link Reservation#ensure} grows it. Close it when the download ends. */
    synchronized Reservation open() {
        Reservation reservation = new Reservation();
        live.add(reservation);
        return reservation;
    }

    /** Bytes reserved by the open reservations and not written yet (the file system's free space still counts them). */
    synchronized long outstandingBytes() {
        return live.stream().mapToLong(Reservation::unwritten).sum();
    }

    private synchronized void grow(Reservation reservation, long total) {
        long more = total - reservation.reserved;
        if (more <= 0) {
            return;
        }
        long free = usableBytes();
        long heldByOthers = live.stream().filter(r -> r != reservation).mapToLong(Reservation::unwritten).sum();
        long left = free - reservation.unwritten() - heldByOthers - more;
        if (left < freeReserveBytes) {
            throw DiskFull.failure("the image cache's file system (" + dir.getParent() + ")",
                    "a download of " + mib(total) + " MiB does not fit (" + mib(free) + " MiB free, "
                            + mib(heldByOthers) + " MiB reserved by other downloads, " + mib(freeReserveBytes)
                            + " MiB kept free, VIRTFLEET_AGENT_CACHE_FREE_RESERVE)",
                    "free space there, lower VIRTFLEET_AGENT_CACHE_BUDGET so that older images are evicted, or remove"
                            + " unused images (DELETE /api/v1/cache/images/{sha256})", null);
        }
        reservation.reserved = total;
    }

    private long usableBytes() {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir, e);
        }
    }

    private synchronized void release(Reservation reservation) {
        live.remove(reservation);
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }

    /** One download's claim on the free space. */
    final class Reservation implements AutoCloseable {
        /** Guarded by the enclosing instance. */
        private long reserved;
        private volatile long written;

        /** Makes sure {@code totalBytes} are reserved in all; HostDiskFull when the file system has no room for them. */
        void ensure(long totalBytes) {
            if (totalBytes > reserved()) {
                grow(this, totalBytes);
            }
        }

        /** The download has written {@code totalBytes} so far: they are on the disk now, no longer only reserved. */
        void written(long totalBytes) {
            written = totalBytes;
        }

        long reserved() {
            synchronized (SpaceReservations.this) {
                return reserved;
            }
        }

        private long unwritten() {
            return Math.max(0, reserved - written);
        }

        @Override
        public void close() {
            release(this);
        }
    }
}
