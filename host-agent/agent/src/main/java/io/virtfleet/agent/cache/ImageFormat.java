package io.virtfleet.agent.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An image's format and virtual size, read from its first bytes (kept by the download, so no extra read). Knows the
 * headers of qcow2, qed and vmdk (with their virtual sizes) and recognises vhdx and vdi; anything else is raw, whose
 * virtual size is its length.
 *
 * @param virtualSizeBytes null when the header does not say (vhdx, vdi keep it further in)
 */
public record ImageFormat(String name, Long virtualSizeBytes) {

    public static ImageFormat sniff(byte[] header, long fileSize) {
        ByteBuffer big = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer little = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (startsWith(header, new byte[]{'Q', 'F', 'I', (byte) 0xfb}) && header.length >= 32) {
            return new ImageFormat("qcow2", big.getLong(24)); // QCowHeader.size
        }
        if (startsWith(header, new byte[]{'Q', 'E', 'D', 0}) && header.length >= 56) {
            return new ImageFormat("qed", little.getLong(48)); // QEDHeader.image_size
        }
        if (startsWith(header, "KDMV".getBytes(StandardCharsets.US_ASCII)) && header.length >= 20) {
            return new ImageFormat("vmdk", little.getLong(12) * 512); // SparseExtentHeader.capacity in sectors
        }
        if (startsWith(header, "vhdxfile".getBytes(StandardCharsets.US_ASCII))) {
            return new ImageFormat("vhdx", null);
        }
        if (header.length >= 0x44 && little.getInt(0x40) == 0xbeda107f) {
            return new ImageFormat("vdi", null);
        }
        return new ImageFormat("raw", fileSize);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
