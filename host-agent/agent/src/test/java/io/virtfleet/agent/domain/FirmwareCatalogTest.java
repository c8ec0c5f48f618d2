package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareCatalogTest {
    @Test
    void withoutDescriptorsUefiIsRefusedSayingWhatToInstall(@TempDir Path dir) {
        FirmwareCatalog catalog = new FirmwareCatalog(List.of(dir.resolve("missing"), dir));

        assertThatThrownBy(catalog::uefi)
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.FIRMWARE_NOT_FOUND);
                    assertThat(e.kind()).isEqualTo(AgentException.Kind.CONFLICT);
                })
                .hasMessageContaining("ovmf");
    }

    @Test
    void picksTheFirstQ35FlashFirmwareThatNeedsNeitherSmmNorSecureBoot(@TempDir Path dir) throws Exception {
        Path code = Files.writeString(dir.resolve("CODE.fd"), "code");
        Path vars = Files.writeString(dir.resolve("VARS.fd"), "vars");
        Path secureCode = Files.writeString(dir.resolve("SECURE_CODE.fd"), "secure");
        Files.writeString(dir.resolve("40-secure.json"), descriptor(secureCode, vars, "\"requires-smm\", \"secure-boot\""));
        Files.writeString(dir.resolve("50-missing-files.json"), descriptor(dir.resolve("nope.fd"), vars, ""));
        Files.writeString(dir.resolve("60-plain.json"), descriptor(code, vars, "\"acpi-s3\""));
        Files.writeString(dir.resolve("70-broken.json"), "{ not json");

        FirmwareCatalog.Uefi uefi = new FirmwareCatalog(List.of(dir)).uefi();

        assertThat(uefi).isEqualTo(new FirmwareCatalog.Uefi(code.toString(), vars.toString()));
    }

    @Test
    void findsTheFirmwareTheOvmfPackageInstallsWhereItIsInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/qemu/firmware")), "no ovmf");

        FirmwareCatalog.Uefi uefi = new FirmwareCatalog(FirmwareCatalog.DEFAULT_DIRS).uefi();

        assertThat(Path.of(uefi.code())).isRegularFile();
        assertThat(Path.of(uefi.nvramTemplate())).isRegularFile();
    }

    private static String descriptor(Path code, Path vars, String features) {
        return """
                {"interface-types": ["uefi"],
                 "mapping": {"device": "flash",
                             "executable": {"filename": "%s", "format": "raw"},
                             "nvram-template": {"filename": "%s", "format": "raw"}},
                 "targets": [{"architecture": "x86_64", "machines": ["pc-i440fx-*", "pc-q35-*"]}],
                 "features": [%s]}
                """.formatted(code, vars, features);
    }
}
