package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download limits on the bytes as they arrive, with a clock the test moves. */
class BoundedSourceTest {
    private static final DownloadLimits LIMITS = new DownloadLimits(4L << 20, Duration.ofSeconds(100), 1000,
            Duration.ofSeconds(10), 0);

    private final AtomicLong now = new AtomicLong();
    private final Download download = new Download("key", true, "ab".repeat(32));
    private SpaceReservations.Reservation space;

    @BeforeEach
    void reserve(@TempDir Path dir) {
        space = new SpaceReservations(dir, 0).open();
    }

    @AfterEach
    void release() {
        space.close();
    }

    private BoundedSource bounded(DownloaderTest.FakeSource source) {
        return new BoundedSource(source, LIMITS, download, space, now::get);
    }

    private static AgentException failure(ThrowingRead read) {
        try {
            read.run();
        } catch (AgentException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("expected an AgentException", e);
        }
        throw new AssertionError("expected an AgentException, nothing was thrown");
    }

    @Test
    void anAnnouncedSizeBeyondTheMaximumIsRefusedBeforeAnyByte() {
        DownloaderTest.FakeSource source = new DownloaderTest.FakeSource(new byte[(4 << 20) + 1], true, true);

        assertThatThrownBy(() -> bounded(source).admit(source.stat()))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_TOO_LARGE));
        assertThat(source.opens).isEmpty();
    }

    @Test
    void anImageOfUnknownLengthIsCutOffAtTheMaximumAndItsSpaceIsReservedAhead() throws IOException {
        DownloaderTest.FakeSource source = new DownloaderTest.FakeSource(new byte[5 << 20], false, false);
        BoundedSource bounded = bounded(source);
        bounded.admit(source.stat());

        try (InputStream body = bounded.open(source.stat(), 0, -1)) {
            body.readNBytes(1 << 20);
            assertThat(space.reserved()).as("reserved ahead from the first bytes on")
                    .isBetween(BoundedSource.RESERVE_AHEAD_BYTES, BoundedSource.RESERVE_AHEAD_BYTES + (1 << 20));
            AgentException cut = failure(() -> body.readNBytes(4 << 20));
            assertThat(cut.reason()).isEqualTo(AgentErrorReasons.IMAGE_TOO_LARGE);
            assertThat(cut.getMessage()).contains("VIRTFLEET_AGENT_CACHE_MAX_IMAGE_BYTES");
        }
    }

    @Test
    void aTricklingSourceIsCutOffAfterAWindowBelowTheMinimumRate() throws IOException {
        DownloaderTest.FakeSource source = new DownloaderTest.FakeSource(new byte[1 << 20], true, true);
        BoundedSource bounded = bounded(source);

        try (InputStream body = bounded.open(source.stat(), 0, -1)) {
            body.readNBytes(5000);
            now.addAndGet(Duration.ofSeconds(9).toNanos());
            body.readNBytes(100); // 5,100 bytes in 9 s: the window is not over yet
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            AgentException slow = failure(() -> body.readNBytes(100)); // 5,200 bytes in 11 s < 1000 bytes/s
            assertThat(slow.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_TOO_SLOW);
        }
    }

    @Test
    void aSourceFastEnoughInEveryWindowIsStillCutOffAtTheDeadline() throws IOException {
        DownloaderTest.FakeSource source = new DownloaderTest.FakeSource(new byte[1 << 20], true, true);
        BoundedSource bounded = bounded(source);

        try (InputStream body = bounded.open(source.stat(), 0, -1)) {
            for (int second = 0; second < 100; second++) {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                body.readNBytes(2000);
            }
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(failure(() -> body.readNBytes(2000)).reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_TIMED_OUT);
        }
        assertThat(failure(() -> bounded.open(source.stat(), 0, -1)).reason())
                .as("no new connection after the deadline").isEqualTo(AgentErrorReasons.DOWNLOAD_TIMED_OUT);
    }

    @Test
    void anObjectStoreThatDoesNotAnswerIsTheDownloadsTroubleUntilBytesFlowAgain() throws IOException {
        DownloaderTest.FakeSource source = new DownloaderTest.FakeSource(new byte[1 << 20], true, true);
        source.failOpens = 1;
        BoundedSource bounded = bounded(source);

        assertThatThrownBy(() -> bounded.open(source.stat(), 0, -1)).isInstanceOf(IOException.class);
        assertThat(download.trouble().reason()).isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE);
        assertThat(download.trouble().message()).contains("s3://fake/image", "connection refused");

        now.addAndGet(Duration.ofSeconds(11).toNanos()); // a whole window without a byte, in trouble
        assertThat(failure(() -> bounded.open(source.stat(), 0, -1)).reason())
                .as("slow because unreachable: the reason says why").isEqualTo(AgentErrorReasons.OBJECT_STORE_UNREACHABLE);

        try (InputStream body = bounded.open(source.stat(), 0, -1)) {
            body.readNBytes(1000);
        }
        assertThat(download.trouble()).isNull();
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws IOException;
    }
}
