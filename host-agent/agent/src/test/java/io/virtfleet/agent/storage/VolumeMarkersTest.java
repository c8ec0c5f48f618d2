package io.virtfleet.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeMarkersTest {

    @Test
    void removingAMarkerSyncsItsDirectoryAfterTheFileIsGoneAndBeforeReturning(@TempDir Path state) {
        List<String> calls = new ArrayList<>();
        Path marker = state.resolve("volumes").resolve("team-a.root.json");
        VolumeMarkers markers = new VolumeMarkers(state, dir -> calls.add("sync " + state.relativize(dir)
                + " markerPresent=" + Files.exists(marker)));
        markers.write(new VolumeMarker("team-a.root", "pool", "s3://b/k", "ab", "t", 1, "now", true));
        calls.clear(); // writing syncs through DurableFiles itself

        markers.delete("team-a.root");
        calls.add("returned");

        assertThat(calls).containsExactly("sync volumes markerPresent=false", "returned");
        assertThat(markers.read("team-a.root")).isEmpty();
    }

    @Test
    void removingAnAbsentMarkerNeedsNoSync(@TempDir Path state) {
        List<Path> synced = new ArrayList<>();
        new VolumeMarkers(state, synced::add).delete("absent");

        assertThat(synced).isEmpty();
    }
}
