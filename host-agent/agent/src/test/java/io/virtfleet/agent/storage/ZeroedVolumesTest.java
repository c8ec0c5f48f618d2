package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule about stale data, and the tail zeroing used for grown logical volumes (tested here on a file). */
class ZeroedVolumesTest {

    @Test
    void onlyFileBasedPoolsReadZerosByConstruction() {
        assertThat(StoragePools.newVolumesReadZeros("dir")).isTrue();
        assertThat(StoragePools.newVolumesReadZeros("fs")).isTrue();
        assertThat(StoragePools.newVolumesReadZeros("logical")).isFalse();
        assertThat(StoragePools.newVolumesReadZeros("disk")).isFalse();
        assertThat(StoragePools.newVolumesReadZeros("")).isFalse();
    }

    @Test
    void zeroesExactlyTheRangeAndKeepsWhatComesBefore(@TempDir Path dir) throws Exception {
        Path volume = dir.resolve("vol");
        byte[] old = new byte[3 << 20];
        java.util.Arrays.fill(old, (byte) 'x');
        Files.write(volume, old);

        ZeroFill.range(volume, 4096, (3 << 20) - 512);

        byte[] after = Files.readAllBytes(volume);
        assertThat(after).hasSize(old.length);
        assertThat(new String(after, 0, 4096, StandardCharsets.US_ASCII)).isEqualTo("x".repeat(4096));
        assertThat(java.util.Arrays.copyOfRange(after, 4096, (3 << 20) - 512)).containsOnly((byte) 0);
        try (RandomAccessFile raf = new RandomAccessFile(volume.toFile(), "r")) {
            raf.seek((3 << 20) - 512);
            assertThat(raf.read()).isEqualTo('x');
        }
    }
}
