package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.cache.ImageFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conversion itself must not follow a backing file, even for an image that got past the inspector. */
class QemuImgTest {
    private static final byte[] SENTINEL = "HOST-SECRET-SENTINEL-7f3a".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aQcow2BackingFileIsNotReadByTheConversion() throws Exception {
        Path sentinel = writeSentinelFile(dir.resolve("host-file"));
        Path evil = dir.resolve("evil.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-b", sentinel.toString(), "-F", "raw", evil.toString());

        Path plain = emptyVolume("plain.raw");
        qemuImg("convert", "-n", "-f", "qcow2", "-O", "raw", evil.toString(), plain.toString());
        assertThat(contains(plain, SENTINEL)).as("the default options do follow the backing file").isTrue();

        Path safe = emptyVolume("safe.raw");
        try (QemuImg qemuImg = new QemuImg()) {
            qemuImg.convertToRaw(evil, new ImageFormat("qcow2", 1L << 20), volume(safe), percent -> { });
        }
        assertThat(contains(safe, SENTINEL)).isFalse();
        assertThat(Files.readAllBytes(safe)).containsOnly(0);
    }

    @Test
    void convertsQcow2AndRawContent() throws Exception {
        Path raw = writeSentinelFile(dir.resolve("image.raw"));
        Path qcow2 = dir.resolve("image.qcow2");
        qemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
        try (QemuImg qemuImg = new QemuImg()) {
            Path fromRaw = emptyVolume("from-raw");
            qemuImg.convertToRaw(raw, new ImageFormat("raw", Files.size(raw)), volume(fromRaw), percent -> { });
            assertThat(fromRaw).hasSameBinaryContentAs(raw);
            Path fromQcow2 = emptyVolume("from-qcow2");
            qemuImg.convertToRaw(qcow2, new ImageFormat("qcow2", Files.size(raw)), volume(fromQcow2), percent -> { });
            assertThat(fromQcow2).hasSameBinaryContentAs(raw);
        }
    }

    @Test
    void aRawImageHoldingAQcow2HeaderIsCopiedAsBytesNotOpenedAsQcow2() throws Exception {
        Path sentinel = writeSentinelFile(dir.resolve("host-file"));
        Path evil = dir.resolve("evil.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-b", sentinel.toString(), "-F", "raw", evil.toString());
        Path target = emptyVolume("target");
        try (QemuImg qemuImg = new QemuImg()) {
            qemuImg.convertToRaw(evil, new ImageFormat("raw", Files.size(evil)), volume(target), percent -> { });
            assertThatThrownBy(() -> qemuImg.convertToRaw(evil, new ImageFormat("vmdk", 1L), volume(target), p -> { }))
                    .hasMessageContaining("only qcow2 and raw");
        }
        assertThat(contains(target, SENTINEL)).isFalse();
    }

    private Path writeSentinelFile(Path file) throws Exception {
        byte[] content = new byte[1 << 20];
        for (int i = 0; i + SENTINEL.length <= content.length; i += 4096) {
            System.arraycopy(SENTINEL, 0, content, i, SENTINEL.length);
        }
        return Files.write(file, content);
    }

    private Path emptyVolume(String name) throws Exception {
        Path file = dir.resolve(name);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.allocate(1), (1 << 20) - 1); // sparse 1 MiB of zeros
        }
        return file;
    }

    private static PreparedVolume volume(Path file) {
        return new PreparedVolume(new VolumeInfo("test", file.getFileName().toString(), file.toString(), 1 << 20,
                false), false);
    }

    static boolean contains(Path file, byte[] needle) throws Exception {
        byte[] data = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void qemuImg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
    }
}
