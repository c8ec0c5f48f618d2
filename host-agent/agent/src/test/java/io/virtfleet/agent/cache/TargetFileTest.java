package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download's file on real file systems: O_DIRECT where accepted, else the page cache; the same bytes on disk. */
class TargetFileTest {
    private static final int TAIL = 777;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void onADiskFileSystemAlignedWritesBypassThePageCacheAndOnlyTheUnalignedTailUsesIt() throws Exception {
        byte[] data = CacheTestBytes.random((8 << 20) + TAIL, 11);
        Path file = dir.resolve("image");

        try (TargetFile target = TargetFile.create(file, threads)) {
            assertThat(target.direct()).as("ext4 accepts O_DIRECT").isTrue();
            writeInTwoCalls(target, data);
            target.finish();
        }

        assertThat(MountedFileSystem.residentBytes(file)).as("only the tail's page went through the page cache")
                .isLessThanOrEqualTo(4096); // before reading the file back, which caches it
        assertThat(file).hasBinaryContent(data);
    }

    @Test
    void onAFileSystemWithoutODirectEverythingGoesThroughThePageCache() throws Exception {
        byte[] data = CacheTestBytes.random((3 << 20) + TAIL, 12);
        try (MountedFileSystem ramfs = MountedFileSystem.mount("ramfs", "size=64m", dir)) {
            Path file = ramfs.dir().resolve("image");

            try (TargetFile target = TargetFile.create(file, threads)) {
                assertThat(target.direct()).as("ramfs refuses O_DIRECT").isFalse();
                writeInTwoCalls(target, data);
                target.finish();
            }

            assertThat(file).hasBinaryContent(data);
        }
    }

    /** An aligned first part, then the rest with its unaligned tail, each from an aligned direct buffer. */
    private static void writeInTwoCalls(TargetFile target, byte[] data) throws Exception {
        int alignment = Math.max(1, target.alignment());
        int first = 2 << 20;
        target.write(aligned(Arrays.copyOfRange(data, 0, first), alignment), 0);
        target.write(aligned(Arrays.copyOfRange(data, first, data.length), alignment), first);
    }

    private static ByteBuffer aligned(byte[] bytes, int alignment) {
        // alignedSlice also rounds the end down: room for both roundings
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 2 * alignment).alignedSlice(alignment);
        return buffer.put(bytes).flip();
    }
}
