package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One download's view of its source, with the {@link DownloadLimits} enforced on the bytes as they arrive: every read
 * counts them (all streams together), reserves disk space ahead of them ({@link SpaceReservations}) and checks the
 * image size, the deadline and the rate; an open checks the deadline and the rate before it connects again. A check
 * that fails ends the whole download with its reason. A read that blocks is bounded by the read timeout, so a limit
 * takes effect at most one read timeout late.
 *
 * <p>Transient failures (the retries go on) are recorded on the {@link Download} as its trouble, so the volume's
 * status can say that the object store does not answer while the download waits for it; progress clears it.
 */
final class BoundedSource implements ImageSource {
    /** Space is reserved this far ahead of the bytes of an image of unknown length. */
    static final long RESERVE_AHEAD_BYTES = 64L << 20;

    private final ImageSource source;
    private final DownloadLimits limits;
    private final Download download;
    private final SpaceReservations.Reservation space;
    private final LongSupplier nanos;
    private final long started;
    private final AtomicLong bytes = new AtomicLong();
    /** Guarded by {@code this}: the start of the current rate window and the bytes counted when it began. */
    private long windowStart;
    private long windowBytes;

    BoundedSource(ImageSource source, DownloadLimits limits, Download download, SpaceReservations.Reservation space,
                  LongSupplier nanos) {
        this.source = source;
        this.limits = limits;
        this.download = download;
        this.space = space;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.windowStart = started;
    }

    @Override
    public ImageUrl url() {
        return source.url();
    }

    @Override
    public Optional<String> readSidecar() throws IOException {
        return source.readSidecar();
    }

    @Override
    public RemoteObject stat() throws IOException {
        checkTime();
        try {
            RemoteObject object = source.stat();
            download.trouble(null);
            return object;
        } catch (IOException e) {
            troubled(e);
            throw e;
        }
    }

    /** Refuses an announced size beyond the maximum before a byte is downloaded, and reserves the space for it. */
    void admit(RemoteObject object) {
        if (object.sizeBytes() > limits.maxImageBytes()) {
            throw tooLarge(object.sizeBytes() + " bytes announced");
        }
        space.ensure(Math.max(object.sizeBytes(), 0));
    }

    @Override
    public HttpTransport.Body open(RemoteObject object, long start, long endExclusive) throws IOException {
        checkTime();
        HttpTransport.Body body;
        try {
            body = source.open(object, start, endExclusive);
        } catch (IOException e) {
            troubled(e);
            throw e;
        }
        return new HttpTransport.Body(new Counting(body, start), body::abort);
    }

    /** Counts the bytes of one body and checks the limits after every read. */
    private final class Counting extends FilterInputStream {
        private long position;

        Counting(InputStream in, long start) {
            super(in);
            this.position = start;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                troubled(e);
                throw e;
            }
            if (n > 0) {
                position += n;
                arrived(n, position);
            }
            return n;
        }
    }

    private void arrived(int n, long position) {
        long total = bytes.addAndGet(n);
        download.trouble(null);
        if (position > limits.maxImageBytes()) {
            throw tooLarge("more than " + limits.maxImageBytes() + " bytes arrived");
        }
        if (total > space.reserved()) {
            space.ensure(total + RESERVE_AHEAD_BYTES);
        }
        // Counted as written once read: the ring holds a few MiB not yet written, well inside the free reserve.
        space.written(total);
        checkTime();
    }

    /** The deadline, then the rate once a window has passed (in trouble: the trouble is the reason it is slow). */
    private void checkTime() {
        long now = nanos.getAsLong();
        Duration elapsed = Duration.ofNanos(now - started);
        if (elapsed.compareTo(limits.deadline()) > 0) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_TIMED_OUT, "the download of "
                    + source.url() + " did not finish within " + limits.deadline().toSeconds() + " s ("
                    + bytes.get() + " bytes arrived" + troubleText()
                    + "); raise VIRTFLEET_AGENT_CACHE_DOWNLOAD_DEADLINE_SECONDS for images that need longer");
        }
        long window = limits.rateWindow().toNanos();
        long rate;
        synchronized (this) {
            long windowNanos = now - windowStart;
            if (limits.minBytesPerSecond() == 0 || windowNanos < window) {
                return;
            }
            rate = (bytes.get() - windowBytes) * 1_000_000_000L / windowNanos;
            windowStart = now;
            windowBytes = bytes.get();
        }
        if (rate >= limits.minBytesPerSecond()) {
            return;
        }
        AgentError trouble = download.trouble();
        if (trouble != null) {
            throw new AgentException(Kind.INTERNAL, trouble.reason(), trouble.message());
        }
        throw new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_TOO_SLOW, "the download of "
                + source.url() + " ran at " + rate + " bytes/s over the last " + limits.rateWindow().toSeconds()
                + " s, below the minimum of " + limits.minBytesPerSecond() + " bytes/s"
                + " (VIRTFLEET_AGENT_CACHE_MIN_BYTES_PER_SECOND); the server or the link is too slow");
    }

    /** Only the object store's trouble is named while retrying: an http(s) server's is told when the retries end. */
    private void troubled(IOException e) {
        if (!source.url().objectStore()) {
            return;
        }
        download.trouble(Sources.unreachable(source.url(), "retrying: " + e.getMessage(), e).toError());
    }

    private String troubleText() {
        AgentError trouble = download.trouble();
        return trouble == null ? "" : ", last trouble: " + trouble.message();
    }

    private AgentException tooLarge(String what) {
        return new AgentException(Kind.CONFLICT, AgentErrorReasons.IMAGE_TOO_LARGE, "image " + source.url()
                + " is larger than this node accepts (" + what + ", at most " + limits.maxImageBytes()
                + " bytes, VIRTFLEET_AGENT_CACHE_MAX_IMAGE_BYTES)");
    }
}
