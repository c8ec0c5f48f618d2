package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether an image (untrusted tenant input) may be opened by {@code qemu-img}, by reading its headers in Java
 * first. Allowed: {@code raw}, and {@code qcow2} (v2/v3) that names no backing file, no external data file, no
 * encryption, no incompatible feature this agent does not know. Everything else — other formats (qed, vmdk, vhdx,
 * vdi, vpc, LUKS, qcow v1, ...), a truncated or malformed qcow2 header, a declared format other than the sniffed one —
 * is refused with {@link AgentErrorReasons#UNSAFE_IMAGE}. A backing or data file would let {@code qemu-img} copy a host
 * file into a tenant's volume (the bug class of CVE-2024-32498).
 */
public final class ImageInspector {
    /** The largest qcow2 cluster (cluster_bits 21): header and extensions live in the first cluster. */
    static final int MAX_HEADER_BYTES = 2 << 20;
    private static final int QCOW2_MAGIC = 0x514649fb;
    private static final int QCOW2_V2_HEADER = 72;
    private static final int QCOW2_V3_HEADER = 104;
    /** Incompatible feature bits: 0 dirty, 1 corrupt, 2 external data file, 3 compression type, 4 extended L2. */
    private static final long INCOMPAT_CORRUPT = 1L << 1;
    private static final long INCOMPAT_DATA_FILE = 1L << 2;
    private static final long INCOMPAT_KNOWN = 0b11111L;
    private static final int EXT_END = 0;
    private static final int EXT_DATA_FILE = 0x44415441;
    private static final int EXT_ENCRYPTION = 0x0537be77;
    /** qemu's vmdk probe takes a text file with a {@code version=N} line for a descriptor. */
    private static final Pattern VMDK_TEXT = Pattern.compile(
            "(?m)^\\s*(# Disk DescriptorFile|version\\s*=\\s*[1-3]\\s*$|createType\\s*=)");

    private ImageInspector() {
    }

    /**
     * Inspects the file and returns its format and virtual size.
     *
     * @throws AgentException {@link AgentErrorReasons#UNSAFE_IMAGE} when the image must not be used
     */
    public static ImageFormat inspect(Path file) {
        byte[] head;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER_BYTES));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the first cluster's worth
            }
            head = buffer.array();
            byte[] tail = readTail(channel, size);
            return sniff(head, tail, size);
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot read image " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses an image whose owner declared another format than it has (a raw image that is really qcow2 would
     * otherwise be read with the wrong driver, or the other way round).
     *
     * @param declared {@code qcow2}, {@code raw}, or null for either
     */
    public static void checkDeclared(ImageFormat format, String declared) {
        if (declared != null && !declared.isBlank() && !declared.toLowerCase(Locale.ROOT).equals(format.name())) {
            throw unsafe("the image was declared " + declared + " but is " + format.name());
        }
    }

    /** The rules on bytes already read: the file's first bytes (up to one cluster), its last 512 and its size. */
    static ImageFormat sniff(byte[] head, byte[] tail, long size) {
        ByteBuffer big = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer little = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length >= 4 && big.getInt(0) == QCOW2_MAGIC) {
            return qcow2(big, head.length, size);
        }
        String foreign = foreignFormat(head, tail, little);
        if (foreign != null) {
            throw unsafe("the image is " + foreign + "; only qcow2 and raw images are accepted");
        }
        return new ImageFormat("raw", size);
    }

    private static ImageFormat qcow2(ByteBuffer header, int available, long size) {
        if (available < QCOW2_V2_HEADER) {
            throw unsafe("the qcow2 header is truncated (" + available + " bytes)");
        }
        int version = header.getInt(4);
        if (version != 2 && version != 3) {
            throw unsafe("qcow2 version " + version + " is not supported (qcow v1 and unknown versions are refused)");
        }
        long backingOffset = header.getLong(8);
        if (backingOffset != 0 || header.getInt(16) != 0) {
            throw unsafe("the qcow2 image names a backing file; images must be self-contained");
        }
        int clusterBits = header.getInt(20);
        if (clusterBits < 9 || clusterBits > 21) {
            throw unsafe("the qcow2 header is malformed (cluster_bits " + clusterBits + ")");
        }
        long virtualSize = header.getLong(24);
        if (virtualSize < 0) {
            throw unsafe("the qcow2 header is malformed (virtual size " + virtualSize + ")");
        }
        if (header.getInt(32) != 0) {
            throw unsafe("the qcow2 image is encrypted");
        }
        int headerLength = QCOW2_V2_HEADER;
        if (version == 3) {
            if (available < QCOW2_V3_HEADER) {
                throw unsafe("the qcow2 v3 header is truncated (" + available + " bytes)");
            }
            long incompatible = header.getLong(72);
            if ((incompatible & INCOMPAT_DATA_FILE) != 0) {
                throw unsafe("the qcow2 image uses an external data file; images must be self-contained");
            }
            if ((incompatible & ~INCOMPAT_KNOWN) != 0) {
                throw unsafe("the qcow2 image has unknown incompatible features 0x"
                        + Long.toHexString(incompatible & ~INCOMPAT_KNOWN));
            }
            if ((incompatible & INCOMPAT_CORRUPT) != 0) {
                throw unsafe("the qcow2 image is marked corrupt");
            }
            headerLength = header.getInt(100);
            if (headerLength < QCOW2_V3_HEADER || headerLength % 8 != 0 || headerLength > (1 << clusterBits)) {
                throw unsafe("the qcow2 header is malformed (header_length " + headerLength + ")");
            }
        }
        checkExtensions(header, headerLength, Math.min(available, 1 << clusterBits));
        return new ImageFormat("qcow2", virtualSize);
    }

    /** Walks the header extensions (type, length, data padded to 8) up to the end marker within the first cluster. */
    private static void checkExtensions(ByteBuffer header, int start, int limit) {
        int offset = start;
        while (true) {
            if (offset + 8 > limit) {
                throw unsafe("the qcow2 header extensions are truncated or unterminated");
            }
            int type = header.getInt(offset);
            long length = Integer.toUnsignedLong(header.getInt(offset + 4));
            if (type == EXT_END) {
                return;
            }
            if (type == EXT_DATA_FILE) {
                throw unsafe("the qcow2 image names an external data file; images must be self-contained");
            }
            if (type == EXT_ENCRYPTION) {
                throw unsafe("the qcow2 image is encrypted");
            }
            long next = offset + 8 + ((length + 7) & ~7L);
            if (next > limit) {
                throw unsafe("the qcow2 header extension 0x" + Integer.toHexString(type) + " runs past the header");
            }
            offset = (int) next;
        }
    }

    /** The name of a format other than qcow2 and raw that {@code qemu-img} would recognise, or null. */
    private static String foreignFormat(byte[] head, byte[] tail, ByteBuffer little) {
        if (startsWith(head, 0, "QED\0")) {
            return "qed";
        }
        if (startsWith(head, 0, "KDMV") || startsWith(head, 0, "COWD")) {
            return "vmdk";
        }
        if (startsWith(head, 0, "vhdxfile")) {
            return "vhdx";
        }
        if (startsWith(head, 0, "<<< ") || head.length >= 0x44 && little.getInt(0x40) == 0xbeda107f) {
            return "vdi";
        }
        if (startsWith(head, 0, "conectix") || startsWith(tail, 0, "conectix")) {
            return "vpc";
        }
        if (startsWith(head, 0, "LUKS\u00ba\u00be")) {
            return "luks";
        }
        if (startsWith(head, 0, "Bochs Virtual HD Image")) {
            return "bochs";
        }
        if (startsWith(head, 0, "#!/bin/sh\n#V2.0 Format")) {
            return "cloop";
        }
        if (startsWith(head, 0, "WithoutFreeSpace") || startsWith(head, 0, "WithouFreSpacExt")) {
            return "parallels";
        }
        if (startsWith(tail, 0, "koly")) {
            return "dmg";
        }
        String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
        if (VMDK_TEXT.matcher(text).find()) {
            return "vmdk (text descriptor)";
        }
        return null;
    }

    private static byte[] readTail(FileChannel channel, long size) throws IOException {
        if (size < 512) {
            return new byte[0];
        }
        ByteBuffer tail = ByteBuffer.allocate(512);
        long position = size - 512;
        while (tail.hasRemaining()) {
            int n = channel.read(tail, position + tail.position());
            if (n < 0) {
                break;
            }
        }
        return tail.array();
    }

    private static boolean startsWith(byte[] data, int at, String prefix) {
        byte[] expected = prefix.getBytes(StandardCharsets.ISO_8859_1);
        if (data.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static AgentException unsafe(String message) {
        return new AgentException(Kind.CONFLICT, AgentErrorReasons.UNSAFE_IMAGE, message);
    }
}
