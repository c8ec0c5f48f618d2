package io.virtfleet.agent.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Socket paths must fit in 107 bytes, however deep the agent's state directory is. */
class ConsoleFilesTest {
    @Test
    void aShortConsoleDirectoryHoldsTheLogAndTheSockets() {
        Path dir = Path.of("/var/lib/virtfleet/state/consoles");

        ConsoleFiles files = ConsoleFiles.in(dir, ConsoleFiles.socketDirFor(dir), "team-a.web01");

        assertThat(files.log()).isEqualTo(dir.resolve("team-a.web01.log"));
        assertThat(files.serialSocket().getParent()).isEqualTo(dir);
        assertThat(files.vncSocket().getParent()).isEqualTo(dir);
    }

    @Test
    void aDeepConsoleDirectoryKeepsItsLogButPutsItsSocketsUnderRun() {
        Path deep = Path.of("/work/main/dev/benchmarks/target/populate-6996407740840410093/state/consoles");
        Path other = Path.of("/work/other/dev/benchmarks/target/populate-6996407740840410093/state/consoles");

        Path socketDir = ConsoleFiles.socketDirFor(deep);
        ConsoleFiles files = ConsoleFiles.in(deep, socketDir, "n".repeat(63) + "." + "v".repeat(63));

        assertThat(files.log().getParent()).isEqualTo(deep);
        assertThat(socketDir.getParent()).isEqualTo(ConsoleFiles.SHORT_SOCKET_BASE);
        assertThat(ConsoleFiles.socketDirFor(other)).as("one directory per agent").isNotEqualTo(socketDir);
        for (Path socket : files.sockets()) {
            assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(ConsoleFiles.MAX_SOCKET_PATH);
        }
    }
}
