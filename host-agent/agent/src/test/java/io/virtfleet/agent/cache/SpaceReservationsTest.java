package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations against the real free space of the test's file system: the free reserve is set to leave 1 GiB of
 * room, so the figures hold while other processes write a few hundred MiB meanwhile.
 */
class SpaceReservationsTest {
    private static final long MIB = 1L << 20;

    @Test
    void concurrentDownloadsShareTheRoomAboveTheReserveAndWrittenBytesStopCounting(@TempDir Path dir)
            throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("cache").resolve("tmp"));
        long free = Files.getFileStore(tmp).getUsableSpace();
        SpaceReservations reservations = new SpaceReservations(tmp, free - 1024 * MIB);

        try (SpaceReservations.Reservation first = reservations.open();
             SpaceReservations.Reservation second = reservations.open()) {
            first.ensure(700 * MIB);
            assertThatThrownBy(() -> second.ensure(700 * MIB))
                    .as("each fits alone; both would take the disk below the reserve")
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.reason()).isEqualTo(AgentErrorReasons.HOST_DISK_FULL);
                        assertThat(e.getMessage()).contains("700 MiB reserved by other downloads",
                                "VIRTFLEET_AGENT_CACHE_BUDGET");
                    });
            assertThat(second.reserved()).isZero();
            assertThat(reservations.outstandingBytes()).isEqualTo(700 * MIB);

            first.written(200 * MIB); // on the disk now: the free space shows them, the reservation no longer does
            assertThat(reservations.outstandingBytes()).isEqualTo(500 * MIB);
        }
        assertThat(reservations.outstandingBytes()).isZero();

        try (SpaceReservations.Reservation third = reservations.open()) {
            third.ensure(700 * MIB);
            assertThat(third.reserved()).as("room again once the first download ended").isEqualTo(700 * MIB);
        }
    }
}
