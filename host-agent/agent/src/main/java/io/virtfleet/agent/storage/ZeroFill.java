package io.virtfleet.agent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes zeros over a byte range of a volume and flushes them: what a guest may read there was never someone else's. */
final class ZeroFill {
    private static final int CHUNK = 1 << 20;

    private ZeroFill() {
    }

    static void range(Path volume, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel channel = FileChannel.open(volume, StandardOpenOption.WRITE)) {
            long position = from;
            while (position < to) {
                zeros.clear().limit((int) Math.min(CHUNK, to - position));
                while (zeros.hasRemaining()) {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(true);
        }
    }
}
