package io.virtfleet.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** Images with a known amount of incompressible data, for the data-path benchmarks. */
final class BenchImages {
    private static final long CHUNK = 64L << 20;

    private BenchImages() {
    }

    /**
     * An uncompressed qcow2 of {@code virtualSize} whose every other 64 MiB chunk is random (half of it data, the
     * rest holes), with the same seed every time.
     */
    static Path halfDataQcow2(Path work, long virtualSize) throws Exception {
        Path raw = work.resolve("image.raw");
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[(int) CHUNK];
        try (FileChannel out = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long offset = 0; offset < virtualSize; offset += 2 * CHUNK) {
                random.nextBytes(chunk);
                out.write(ByteBuffer.wrap(chunk), offset);
            }
            out.truncate(virtualSize);
            out.write(ByteBuffer.wrap(new byte[1]), virtualSize - 1);
        }
        Path qcow2 = work.resolve("image.qcow2");
        Process process = new ProcessBuilder("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(),
                qcow2.toString()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("qemu-img convert to qcow2 failed");
        }
        Files.delete(raw);
        return qcow2;
    }
}
