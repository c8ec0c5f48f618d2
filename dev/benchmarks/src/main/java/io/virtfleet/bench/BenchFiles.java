package io.virtfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Work directories of benchmark runs: under {@code dev/benchmarks/target} of the repository (a real disk). */
final class BenchFiles {
    private BenchFiles() {
    }

    static Path workDir(String prefix) throws IOException {
        Path repo = Path.of(System.getProperty("virtfleet.repo", "."));
        return Files.createTempDirectory(Files.createDirectories(repo.resolve("dev/benchmarks/target")), prefix);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
