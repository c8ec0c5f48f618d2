package io.virtfleet.agent.cloudinit;

import com.github.stephenc.javaisotools.iso9660.ConfigException;
import com.github.stephenc.javaisotools.iso9660.ISO9660File;
import com.github.stephenc.javaisotools.iso9660.ISO9660RootDirectory;
import com.github.stephenc.javaisotools.iso9660.impl.CreateISO;
import com.github.stephenc.javaisotools.iso9660.impl.ISO9660Config;
import com.github.stephenc.javaisotools.iso9660.impl.ISOImageFileHandler;
import com.github.stephenc.javaisotools.joliet.impl.JolietConfig;
import com.github.stephenc.javaisotools.rockridge.impl.RockRidgeConfig;
import com.github.stephenc.javaisotools.sabre.HandlerException;
import com.github.stephenc.javaisotools.sabre.impl.ByteArrayDataReference;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;

/**
 * Writes a NoCloud seed as an ISO 9660 image with Rock Ridge and Joliet (so the lower-case names with dashes survive
 * on every reader) and the volume label {@code cidata}, with java-iso-tools: no external tool needed on the host.
 */
public final class SeedIso {
    public static final String VOLUME_LABEL = "cidata";

    private SeedIso() {
    }

    public static void write(SeedFiles files, Path target) throws IOException {
        ISO9660RootDirectory root = new ISO9660RootDirectory();
        long now = System.currentTimeMillis();
        try {
            for (Map.Entry<String, String> file : Map.of(
                    SeedFiles.USER_DATA, files.userData(),
                    SeedFiles.META_DATA, files.metaData(),
                    SeedFiles.NETWORK_CONFIG, files.networkConfig()).entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                root.addFile(new ISO9660File(new ByteArrayDataReference(bytes), file.getKey(), now));
            }
            ISO9660Config iso = new ISO9660Config();
            iso.allowASCII(true); // keeps the label lower case: cloud-init looks for "cidata" (or "CIDATA")
            iso.setInterchangeLevel(2); // 31-character names; level 3 is not supported by the library
            iso.restrictDirDepthTo8(true);
            iso.forceDotDelimiter(false);
            iso.setVolumeID(VOLUME_LABEL);
            iso.setCreateDate(new Date(now));
            // 150 sectors of padding, as genisoimage adds: without it the image is ~58 KiB, and busybox's findfs
            // (and other probes that look near the end of a device) cannot identify a device smaller than 128 KiB.
            iso.setPadEnd(true);
            RockRidgeConfig rockRidge = new RockRidgeConfig();
            rockRidge.setMkisofsCompatibility(false);
            rockRidge.hideMovedDirectoriesStore(true);
            rockRidge.forcePortableFilenameCharacterSet(true);
            JolietConfig joliet = new JolietConfig();
            joliet.setVolumeID(VOLUME_LABEL);
            joliet.forceDotDelimiter(false); // else names get a trailing dot: "user-data."
            new CreateISO(new ISOImageFileHandler(target.toFile()), root).process(iso, rockRidge, joliet, null);
        } catch (HandlerException | ConfigException | FileNotFoundException e) {
            throw new IOException("cannot write seed ISO " + target + ": " + e.getMessage(), e);
        }
    }
}
