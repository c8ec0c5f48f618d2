package io.virtfleet.agent.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtfleet.agent.contract.CloudInitSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeds hold tenants' keys and password hashes: only the agent (root) may read them; libvirt relabels for QEMU. */
class SeedStoreModesTest {
    private static final CloudInitSeed SEED = new CloudInitSeed(null, "web01", "web01.example.com",
            List.of("ssh-ed25519 AAAAC3Nza test"), "$6$salt$hash", null, List.of());

    @Test
    void theDirectoryIs0700AndEverySeedFile0600(@TempDir Path state) throws Exception {
        SeedStore store = new SeedStore(state);
        store.write("team-a.web01", SEED, "i-1");

        Path dir = state.resolve("seeds");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(mode(store.iso("team-a.web01"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("team-a.web01.json"))).isEqualTo("rw-------");

        store.write("team-a.web01", SEED, "i-2"); // a rewrite keeps the modes
        assertThat(mode(store.iso("team-a.web01"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("team-a.web01.json"))).isEqualTo("rw-------");
    }

    @Test
    void seedsLeftReadableByAnOlderAgentAreRestrictedAtStart(@TempDir Path state) throws Exception {
        Path dir = Files.createDirectories(state.resolve("seeds"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path old = Files.writeString(dir.resolve("team-a.old.iso"), "old seed");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

        new SeedStore(state);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(mode(old)).isEqualTo("rw-------");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
