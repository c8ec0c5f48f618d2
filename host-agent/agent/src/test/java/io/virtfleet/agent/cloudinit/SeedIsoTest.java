package io.virtfleet.agent.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedIsoTest {
    /** The primary volume descriptor sits in sector 16; its volume identifier starts at byte 40 of it. */
    private static final int VOLUME_ID_OFFSET = 16 * 2048 + 40;

    @Test
    void writesAnIso9660ImageLabelledCidataHoldingTheThreeFiles(@TempDir Path dir) throws Exception {
        Path iso = dir.resolve("seed.iso");
        SeedIso.write(new SeedFiles("#cloud-config\nhostname: web01\n", "instance-id: i-42\n", "version: 2\n"), iso);

        byte[] image = Files.readAllBytes(iso);
        String volumeId = new String(Arrays.copyOfRange(image, VOLUME_ID_OFFSET, VOLUME_ID_OFFSET + 32),
                StandardCharsets.US_ASCII).strip();
        assertThat(volumeId).isEqualTo("cidata");
        assertThat(new String(image, 16 * 2048 + 1, 5, StandardCharsets.US_ASCII)).isEqualTo("CD001");
        String text = new String(image, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("hostname: web01", "instance-id: i-42", "version: 2");
        // Rock Ridge NM entries keep the lower-case names cloud-init looks for
        assertThat(text).contains("user-data", "meta-data", "network-config");
    }

    @Test
    void blkidSeesTheLabelWhereUtilLinuxIsInstalled(@TempDir Path dir) throws Exception {
        Path iso = dir.resolve("seed.iso");
        SeedIso.write(new SeedFiles("#cloud-config\n", "instance-id: x\n", "version: 2\n"), iso);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/blkid"))
                || Files.isExecutable(Path.of("/sbin/blkid")), "blkid not installed");

        Process blkid = new ProcessBuilder("blkid", "-o", "export", iso.toString()).redirectErrorStream(true).start();
        String output = new String(blkid.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(blkid.waitFor()).as(output).isZero();
        assertThat(output).contains("LABEL=cidata", "TYPE=iso9660");
    }
}
