package io.virtfleet.agent.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small file system mounted for one test (the tests run as root): {@code ramfs} has no O_DIRECT, {@code tmpfs} with a
 * size fills up. Unmounted by {@link #close}.
 */
record MountedFileSystem(Path dir) implements AutoCloseable {
    static MountedFileSystem mount(String type, String options, Path dir) throws IOException, InterruptedException {
        run("mount", "-t", type, "-o", options, type, dir.toString());
        return new MountedFileSystem(dir);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    /** Bytes of {@code file} held in the page cache, as util-linux {@code fincore} counts them. */
    static long residentBytes(Path file) throws IOException, InterruptedException {
        return Long.parseLong(run("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString()).strip());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
