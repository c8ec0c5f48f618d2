package io.virtfleet.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelBootFilesTest {
    @TempDir
    Path dir;
    private Path boot;
    private Path cache;
    private Path kernel;
    private KernelBootFiles files;

    @BeforeEach
    void setUp() throws Exception {
        boot = Files.createDirectories(dir.resolve("boot"));
        cache = Files.createDirectories(dir.resolve("agent/cache"));
        kernel = Files.writeString(boot.resolve("vmlinuz"), "kernel");
        files = new KernelBootFiles(List.of(boot), List.of(cache), () -> List.of(cache));
    }

    @Test
    void resolvesAnAllowedFileAndASymlinkStayingInside() throws Exception {
        Files.createSymbolicLink(boot.resolve("current"), kernel);

        assertThat(files.resolve("kernel", kernel.toString())).isEqualTo(kernel.toRealPath());
        assertThat(files.resolve("kernel", boot.resolve("current").toString())).isEqualTo(kernel.toRealPath());
    }

    @Test
    void refusesPathsOutsideRelativeOrWithDots() {
        refused("/etc/shadow", AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused("vmlinuz", AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot + "/../boot/vmlinuz", AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot + "/./vmlinuz", AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot + "-sibling/vmlinuz", AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
    }

    @Test
    void refusesSymlinksLeadingOutDirectoriesAndDevices() throws Exception {
        Files.createSymbolicLink(boot.resolve("shadow"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(boot.resolve("null"), Path.of("/dev/null"));
        Files.createSymbolicLink(boot.resolve("cache"), cache);
        Files.writeString(cache.resolve("image"), "someone's image");
        Files.createDirectories(boot.resolve("subdir"));

        refused(boot.resolve("shadow").toString(), AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot.resolve("null").toString(), AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot.resolve("cache/image").toString(), AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot.resolve("subdir").toString(), AgentErrorReasons.HOST_PATH_NOT_ALLOWED);
        refused(boot.resolve("missing").toString(), AgentErrorReasons.BOOT_FILE_NOT_FOUND);
    }

    @Test
    void nothingIsAllowedWithoutDirectories() {
        KernelBootFiles none = new KernelBootFiles(List.of(), List.of(cache), () -> List.of(cache));

        assertThatThrownBy(() -> none.resolve("kernel", kernel.toString()))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.HOST_PATH_NOT_ALLOWED))
                .hasMessageContaining("disabled");
    }

    @Test
    void refusesToStartWhenAnAllowedDirectoryOverlapsTheAgentsOwn() {
        assertThatThrownBy(() -> new KernelBootFiles(List.of(cache), List.of(cache), List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cache.toString());
        assertThatThrownBy(() -> new KernelBootFiles(List.of(dir.resolve("agent")), List.of(cache), List::of))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KernelBootFiles(List.of(cache.resolve("sha256")), List.of(cache), List::of))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesFilesInAStoragePoolEvenInsideAnAllowedDirectory() throws Exception {
        Path pool = Files.createDirectories(boot.resolve("pool"));
        Path volume = Files.writeString(pool.resolve("team-a.web-root"), "a tenant's disk");
        KernelBootFiles withPool = new KernelBootFiles(List.of(boot), List.of(cache), () -> List.of(cache, pool));

        assertThatThrownBy(() -> withPool.resolve("initrd", volume.toString()))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.HOST_PATH_NOT_ALLOWED));
    }

    private void refused(String path, String reason) {
        assertThatThrownBy(() -> files.resolve("kernel", path)).as(path)
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.kind()).isEqualTo(AgentException.Kind.CONFLICT);
                });
    }
}
