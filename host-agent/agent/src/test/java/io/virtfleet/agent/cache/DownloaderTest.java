package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download engine against an in-memory source that can fail on cue: ordering, resumption, retry budget. */
class DownloaderTest {
    static final RetryPolicy RETRY = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));

    private final ExecutorService threads = Executors.newCachedThreadPool();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void oneStreamWritesAndHashesTheWholeObject() throws Exception {
        byte[] data = CacheTestBytes.random((5 << 20) + 777, 1);
        FakeSource source = new FakeSource(data, true, true);
        AtomicLong progress = new AtomicLong();

        Downloader.Result result = downloader(1).download(source, source.stat(), dir.resolve("out"), progress::set);

        assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(data));
        assertThat(result.sizeBytes()).isEqualTo(data.length);
        assertThat(result.header()).isEqualTo(Arrays.copyOf(data, Downloader.HEADER_BYTES));
        assertThat(dir.resolve("out")).hasBinaryContent(data);
        assertThat(progress.get()).isEqualTo(data.length);
        assertThat(source.opens).containsExactly("0-" + data.length);
    }

    @Test
    void parallelStreamsTakeOnePartEachAndTheHashFollowsTheOrder() throws Exception {
        byte[] data = CacheTestBytes.random((10 << 20) + 300_000, 2);
        FakeSource source = new FakeSource(data, true, true);

        Downloader.Result result = downloader(4).download(source, source.stat(), dir.resolve("out"), n -> { });

        assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(data));
        assertThat(dir.resolve("out")).hasBinaryContent(data);
        assertThat(source.opens).hasSize(11).contains("0-1048576", "10485760-" + data.length);
    }

    @Test
    void anObjectOfUnannouncedSizeIsReadToItsEnd() throws Exception {
        byte[] data = CacheTestBytes.random((3 << 20) + 5, 3);
        FakeSource source = new FakeSource(data, false, false);

        Downloader.Result result = downloader(4).download(source, source.stat(), dir.resolve("out"), n -> { });

        assertThat(result.sizeBytes()).isEqualTo(data.length);
        assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(data));
        assertThat(dir.resolve("out")).hasBinaryContent(data);
    }

    @Test
    void anEmptyObjectIsAnEmptyFile() throws Exception {
        FakeSource source = new FakeSource(new byte[0], true, true);

        Downloader.Result result = downloader(1).download(source, source.stat(), dir.resolve("out"), n -> { });

        assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(new byte[0]));
        assertThat(Files.size(dir.resolve("out"))).isZero();
    }

    @Test
    void everyCutIsResumedFromWhereItStoppedAndProgressKeepsTheRetriesGoing() throws Exception {
        byte[] data = CacheTestBytes.random(3 << 20, 4);
        FakeSource source = new FakeSource(data, true, true);
        source.cutEveryBodyAfter = 300_000; // eleven connections for one stream: far more than 4 attempts

        Downloader.Result result = downloader(1).download(source, source.stat(), dir.resolve("out"), n -> { });

        assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(data));
        assertThat(source.opens).hasSize(11).startsWith("0-3145728", "300000-3145728", "600000-3145728");
    }

    @Test
    void givesUpAfterTheAttemptsWithoutProgress() {
        byte[] data = CacheTestBytes.random(1 << 20, 5);
        FakeSource source = new FakeSource(data, true, true);
        source.failOpens = Integer.MAX_VALUE;

        assertThatThrownBy(() -> downloader(1).download(source, source.stat(), dir.resolve("out"), n -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("gave up after 4 attempts without progress");
        assertThat(source.opens).hasSize(4);
    }

    @Test
    void aPermanentFailureStopsEveryStreamAtOnce() {
        byte[] data = CacheTestBytes.random(8 << 20, 6);
        FakeSource source = new FakeSource(data, true, true);
        source.permanentFailureAtOpen = 3;

        assertThatThrownBy(() -> downloader(4).download(source, source.stat(), dir.resolve("out"), n -> { }))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_FAILED));
        assertThat(source.opens).as("a permanent failure is not retried").doesNotHaveDuplicates();
    }

    @Test
    void onAFileSystemWithoutODirectTheSameBytesArriveThroughThePageCache() throws Exception {
        byte[] data = CacheTestBytes.random((10 << 20) + 300_000, 7);
        FakeSource source = new FakeSource(data, true, true);
        try (MountedFileSystem ramfs = MountedFileSystem.mount("ramfs", "size=64m", dir)) {
            Path out = ramfs.dir().resolve("out");

            Downloader.Result result = downloader(4).download(source, source.stat(), out, n -> { });

            assertThat(result.sha256()).isEqualTo(CacheTestBytes.sha256(data));
            assertThat(out).hasBinaryContent(data);
        }
    }

    private Downloader downloader(int streams) {
        return new Downloader(threads, RETRY, streams, 1 << 20);
    }

    /** Serves {@code data} from memory; records each open as "start-end" and fails as told. */
    static final class FakeSource implements ImageSource {
        final byte[] data;
        final boolean announceSize;
        final boolean ranges;
        final List<String> opens = new CopyOnWriteArrayList<>();
        final AtomicInteger openCount = new AtomicInteger();
        volatile int cutEveryBodyAfter = Integer.MAX_VALUE;
        volatile int failOpens;
        volatile int permanentFailureAtOpen = -1;

        FakeSource(byte[] data, boolean announceSize, boolean ranges) {
            this.data = data;
            this.announceSize = announceSize;
            this.ranges = ranges;
        }

        @Override
        public ImageUrl url() {
            return ImageUrl.parse("s3://fake/image");
        }

        @Override
        public Optional<String> readSidecar() {
            return Optional.empty();
        }

        @Override
        public RemoteObject stat() {
            return new RemoteObject(announceSize ? data.length : -1, "\"etag\"", null, ranges);
        }

        @Override
        public HttpTransport.Body open(RemoteObject object, long start, long endExclusive) throws IOException {
            int number = openCount.incrementAndGet();
            long end = endExclusive < 0 ? data.length : endExclusive;
            opens.add(start + "-" + end);
            if (number == permanentFailureAtOpen) {
                throw HttpTransport.failed("access denied (HTTP 403)");
            }
            if (number <= failOpens) {
                throw new IOException("connection refused");
            }
            int length = (int) Math.min(end - start, cutEveryBodyAfter);
            InputStream in = new ByteArrayInputStream(data, (int) start, length);
            return new HttpTransport.Body(in, () -> { });
        }
    }
}
