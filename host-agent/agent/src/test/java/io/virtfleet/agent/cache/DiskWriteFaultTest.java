package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.cache.DownloaderTest.FakeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults on the disk side of a download, on a real (small) file system: the download ends, nobody waits forever. */
class DiskWriteFaultTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aFullDiskEndsTheDownloadAndEveryStream() throws Exception {
        byte[] data = CacheTestBytes.random(24 << 20, 8);
        FakeSource source = new FakeSource(data, true, true);
        // tmpfs accepts O_DIRECT on Linux 6.6 and later: the direct write is the one that meets ENOSPC.
        try (MountedFileSystem tmpfs = MountedFileSystem.mount("tmpfs", "size=4m", dir)) {
            Downloader downloader = new Downloader(threads, DownloaderTest.RETRY, 2, 1 << 20);

            assertThatThrownBy(() -> downloader.download(source, source.stat(), tmpfs.dir().resolve("out"), n -> { }))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
            assertThat(source.opens).as("no stream goes on once the disk failed").hasSizeLessThan(24);
        }
    }
}
