package io.virtfleet.helm.chart;

import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart installs exactly the CRDs generated from the Java model (crds/*.yml), byte for byte. */
class ChartCrdsTest {

    private static List<String> ymlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void chartCrdsAreCopiesOfTheGeneratedCrds() throws IOException {
        Path chartCrds = RepoFiles.CHART.resolve("crds");
        List<String> generated = ymlFiles(RepoFiles.CRDS);

        assertThat(generated).isNotEmpty();
        assertThat(ymlFiles(chartCrds)).as("files in helm/virtfleet/crds").isEqualTo(generated);
        for (String file : generated) {
            assertThat(Files.readAllBytes(chartCrds.resolve(file)))
                    .as("helm/virtfleet/crds/%s drifted from crds/%s; run: cp crds/*.yml helm/virtfleet/crds/", file, file)
                    .isEqualTo(Files.readAllBytes(RepoFiles.CRDS.resolve(file)));
        }
    }
}
