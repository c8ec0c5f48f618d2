package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageInspectorTest {
    @TempDir
    Path dir;

    /** A minimal valid qcow2 v3 header (64 KiB clusters, header length 104, no extensions). */
    static byte[] qcow2(long virtualSize) {
        byte[] header = new byte[4096];
        ByteBuffer.wrap(header).putInt(0x514649fb).putInt(3).putLong(8, 0).putInt(20, 16).putLong(24, virtualSize)
                .putInt(96, 4).putInt(100, 104);
        return header;
    }

    @Test
    void acceptsAMinimalQcow2AndReadsItsVirtualSize() {
        assertThat(sniff(qcow2(5L << 30))).isEqualTo(new ImageFormat("qcow2", 5L << 30));
    }

    @Test
    void refusesABackingFile() {
        byte[] header = qcow2(1 << 20);
        ByteBuffer.wrap(header).putLong(8, 512).putInt(16, 20);
        assertUnsafe(header, "backing file");
    }

    @Test
    void refusesTheExternalDataFileFeatureBitAndItsHeaderExtension() {
        byte[] bit = qcow2(1 << 20);
        ByteBuffer.wrap(bit).putLong(72, 1L << 2);
        assertUnsafe(bit, "external data file");

        byte[] extension = qcow2(1 << 20);
        ByteBuffer.wrap(extension).putInt(104, 0x44415441).putInt(108, 12);
        assertUnsafe(extension, "external data file");
    }

    @Test
    void refusesUnknownIncompatibleFeaturesEncryptionAndCorruption() {
        byte[] unknown = qcow2(1 << 20);
        ByteBuffer.wrap(unknown).putLong(72, 1L << 7);
        assertUnsafe(unknown, "unknown incompatible features 0x80");

        byte[] aes = qcow2(1 << 20);
        ByteBuffer.wrap(aes).putInt(32, 1);
        assertUnsafe(aes, "encrypted");

        byte[] luksInside = qcow2(1 << 20);
        ByteBuffer.wrap(luksInside).putInt(104, 0x0537be77).putInt(108, 16);
        assertUnsafe(luksInside, "encrypted");

        byte[] corrupt = qcow2(1 << 20);
        ByteBuffer.wrap(corrupt).putLong(72, 1L << 1);
        assertUnsafe(corrupt, "corrupt");
    }

    @Test
    void refusesTruncatedAndMalformedHeaders() {
        assertUnsafe(Arrays.copyOf(qcow2(1 << 20), 40), "truncated");
        assertUnsafe(Arrays.copyOf(qcow2(1 << 20), 90), "truncated");

        byte[] v1 = qcow2(1 << 20);
        ByteBuffer.wrap(v1).putInt(4, 1);
        assertUnsafe(v1, "version 1");

        byte[] clusterBits = qcow2(1 << 20);
        ByteBuffer.wrap(clusterBits).putInt(20, 40);
        assertUnsafe(clusterBits, "cluster_bits");

        byte[] headerLength = qcow2(1 << 20);
        ByteBuffer.wrap(headerLength).putInt(100, 12);
        assertUnsafe(headerLength, "header_length");

        byte[] runaway = qcow2(1 << 20);
        ByteBuffer.wrap(runaway).putInt(104, 0x6803f857).putInt(108, 1 << 20);
        assertUnsafe(runaway, "runs past");

        byte[] unterminated = Arrays.copyOf(qcow2(1 << 20), 108);
        assertUnsafe(unterminated, "unterminated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"QED\0", "KDMV", "COWD", "vhdxfile", "conectix", "LUKS\u00ba\u00be",
            "Bochs Virtual HD Image", "<<< Oracle VM VirtualBox Disk Image >>>", "WithoutFreeSpace",
            "# Disk DescriptorFile\nversion=1\nCID=fffffffe\n", "\nversion=1\ncreateType=\"monolithicFlat\"\n"})
    void refusesEveryForeignFormat(String magic) {
        byte[] image = new byte[4096];
        byte[] bytes = magic.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, image, 0, bytes.length);
        assertUnsafe(image, "only qcow2 and raw");
    }

    @Test
    void refusesVdiByItsSignatureAndFormatsRecognisedByTheirFooter() {
        byte[] vdi = new byte[4096];
        ByteBuffer.wrap(vdi).order(ByteOrder.LITTLE_ENDIAN).putInt(0x40, 0xbeda107f);
        assertUnsafe(vdi, "vdi");

        byte[] footer = new byte[512];
        System.arraycopy("conectix".getBytes(StandardCharsets.ISO_8859_1), 0, footer, 0, 8);
        assertThatThrownBy(() -> ImageInspector.sniff(new byte[4096], footer, 1 << 20)).hasMessageContaining("vpc");
        System.arraycopy("koly".getBytes(StandardCharsets.ISO_8859_1), 0, footer, 0, 4);
        assertThatThrownBy(() -> ImageInspector.sniff(new byte[4096], footer, 1 << 20)).hasMessageContaining("dmg");
    }

    @Test
    void anythingElseIsRawOfItsOwnLength() {
        assertThat(ImageInspector.sniff("just bytes".getBytes(StandardCharsets.US_ASCII), new byte[0], 1234))
                .isEqualTo(new ImageFormat("raw", 1234L));
        assertThat(ImageInspector.sniff(new byte[0], new byte[0], 0)).isEqualTo(new ImageFormat("raw", 0L));
    }

    @Test
    void refusesADeclaredFormatOtherThanTheSniffedOne() {
        ImageFormat qcow2 = new ImageFormat("qcow2", 1L);
        ImageFormat raw = new ImageFormat("raw", 1L);
        ImageInspector.checkDeclared(qcow2, null);
        ImageInspector.checkDeclared(qcow2, "QCOW2");
        ImageInspector.checkDeclared(raw, "raw");
        assertThatThrownBy(() -> ImageInspector.checkDeclared(qcow2, "raw")).isInstanceOf(AgentException.class)
                .hasMessageContaining("declared raw but is qcow2")
                .extracting(e -> ((AgentException) e).reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        assertThatThrownBy(() -> ImageInspector.checkDeclared(raw, "qcow2")).hasMessageContaining("declared qcow2");
    }

    @Test
    void judgesImagesMadeByRealQemuImg() throws Exception {
        Path good = dir.resolve("good.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", good.toString(), "3M");
        assertThat(ImageInspector.inspect(good)).isEqualTo(new ImageFormat("qcow2", 3L << 20));

        Path compat = dir.resolve("v2.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-o", "compat=0.10", compat.toString(), "1M");
        assertThat(ImageInspector.inspect(compat).name()).isEqualTo("qcow2");

        Path sentinel = dir.resolve("host-file");
        Files.write(sentinel, new byte[1 << 20]);
        Path backed = dir.resolve("backed.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-b", sentinel.toString(), "-F", "raw", backed.toString());
        assertThatThrownBy(() -> ImageInspector.inspect(backed)).hasMessageContaining("backing file");

        Path dataFile = dir.resolve("data.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + dir.resolve("data.raw"), dataFile.toString(), "1M");
        assertThatThrownBy(() -> ImageInspector.inspect(dataFile)).hasMessageContaining("external data file");

        for (String format : List.of("vmdk", "vhdx", "vdi", "vpc", "qed")) {
            Path foreign = dir.resolve("image." + format);
            qemuImg("create", "-q", "-f", format, foreign.toString(), "1M");
            assertThatThrownBy(() -> ImageInspector.inspect(foreign)).as(format)
                    .hasMessageContaining("only qcow2 and raw");
        }

        Path raw = dir.resolve("disk.raw");
        qemuImg("create", "-q", "-f", "raw", raw.toString(), "2M");
        assertThat(ImageInspector.inspect(raw)).isEqualTo(new ImageFormat("raw", 2L << 20));
    }

    private static ImageFormat sniff(byte[] head) {
        return ImageInspector.sniff(head, new byte[0], head.length);
    }

    private static void assertUnsafe(byte[] head, String message) {
        assertThatThrownBy(() -> sniff(head)).isInstanceOf(AgentException.class).hasMessageContaining(message)
                .extracting(e -> ((AgentException) e).reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
    }

    static void qemuImg(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("qemu-img %s: %s", command, output).isZero();
    }
}
