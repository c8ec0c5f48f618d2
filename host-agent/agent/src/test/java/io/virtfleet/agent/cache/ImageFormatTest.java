package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void readsQcow2AndItsVirtualSize() {
        assertThat(ImageFormat.sniff(CacheTestBytes.qcow2Header(20L << 30), 4096))
                .isEqualTo(new ImageFormat("qcow2", 20L << 30));
    }

    @Test
    void readsQedAndVmdkSizesAndRecognisesVhdxAndVdi() {
        byte[] qed = new byte[512];
        ByteBuffer.wrap(qed).order(ByteOrder.LITTLE_ENDIAN).put(new byte[]{'Q', 'E', 'D', 0}).putLong(48, 3L << 30);
        assertThat(ImageFormat.sniff(qed, 512)).isEqualTo(new ImageFormat("qed", 3L << 30));

        byte[] vmdk = new byte[512];
        ByteBuffer.wrap(vmdk).order(ByteOrder.LITTLE_ENDIAN).put("KDMV".getBytes(StandardCharsets.US_ASCII))
                .putLong(12, 2048);
        assertThat(ImageFormat.sniff(vmdk, 512)).isEqualTo(new ImageFormat("vmdk", 2048L * 512));

        assertThat(ImageFormat.sniff("vhdxfile....".getBytes(StandardCharsets.US_ASCII), 100).name()).isEqualTo("vhdx");
        byte[] vdi = new byte[512];
        ByteBuffer.wrap(vdi).order(ByteOrder.LITTLE_ENDIAN).putInt(0x40, 0xbeda107f);
        assertThat(ImageFormat.sniff(vdi, 512).name()).isEqualTo("vdi");
    }

    @Test
    void anythingElseIsRawOfItsOwnLength() {
        assertThat(ImageFormat.sniff(new byte[]{1, 2, 3}, 1234)).isEqualTo(new ImageFormat("raw", 1234L));
        assertThat(ImageFormat.sniff(new byte[0], 0)).isEqualTo(new ImageFormat("raw", 0L));
    }
}
