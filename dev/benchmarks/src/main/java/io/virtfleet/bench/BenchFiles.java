package io.virtfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Small helpers the benchmark programs share: work directories, shell commands, medians, clean-up. */
final class BenchFiles {
    private BenchFiles() {
    }

    /** A fresh work directory under {@code dev/benchmarks/target} of the repository (a real disk, not tmpfs). */
    static Path workDir(String prefix) throws IOException {
        Path repo = Path.of(System.getProperty("virtfleet.repo", "."));
        return Files.createTempDirectory(Files.createDirectories(repo.resolve("dev/benchmarks/target")), prefix);
    }

    /** The type of the file system holding {@code dir} (e.g. ext4), as {@code findmnt} reports it. */
    static String fileSystemOf(Path dir) throws IOException, InterruptedException {
        return bash("findmnt -n -o FSTYPE --target \"$1\"", dir.toString()).strip();
    }

    /** Runs {@code bash -c script args...}; returns its standard output, fails on a non-zero exit. */
    static String bash(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", script, "bash"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed (" + process.exitValue() + "): " + script);
        }
        return out;
    }

    /** Writes dirty pages of earlier rounds out, so that they do not slow the next timed run. */
    static void sync() throws IOException, InterruptedException {
        bash("sync");
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format(java.util.Locale.ROOT, "%.2f", v)).toList().toString();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
