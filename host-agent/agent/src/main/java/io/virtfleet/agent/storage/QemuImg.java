package io.virtfleet.agent.storage;

import com.sun.nio.file.ExtendedOpenOption;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DiskFull;
import io.virtfleet.agent.cache.ImageFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code qemu-img}: the fastest honest data path from a qcow2 or raw image into a raw volume (measurements: host-agent/README.md, Decisions). */
final class QemuImg implements AutoCloseable {
    /** {@code -p} prints {@code (12.34/100%)} and a carriage return, also when its output is a pipe. */
    private static final Pattern PROGRESS = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");
    private static final int MAX_MESSAGE_CHARS = 16_000;

    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * Writes the image's disk content into an existing raw target ({@code -n}), zero-aware, with out-of-order
     * parallel writes ({@code -W -m 16}, fastest measured). The page cache is bypassed ({@code -t none}) wherever the
     * target accepts O_DIRECT: the data has to reach the disk before the volume is Ready anyway, and writing it
     * directly was faster and steadier than writing it to the page cache and flushing (see README). Targets that
     * refuse O_DIRECT (files on ramfs; on tmpfs before Linux 6.6) use the page cache and the final fsync.
     *
     * @param target      the volume: a file or block device of at least the image's virtual size
     * @param percentDone receives progress in percent (0..100)
     */
    void convertToRaw(Path image, ImageFormat format, PreparedVolume target, DoubleConsumer percentDone) {
        convertToRaw(image, format, target, percentDone, false);
    }

    /**
     * {@link #convertToRaw} of a volume that a paused domain holds open: {@code -U} (force-share) reads it past QEMU's
     * image lock. Only correct while every domain writing to it is paused (see {@code VolumeUsers.whilePaused}).
     */
    void copyPausedVolume(Path source, PreparedVolume target) {
        convertToRaw(source, new ImageFormat("raw", null), target, percent -> { }, true);
    }

    private void convertToRaw(Path image, ImageFormat format, PreparedVolume target, DoubleConsumer percentDone,
                              boolean forceShare) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "convert", "-p", "-n", "-O", "raw",
                "-W", "-m", "16"));
        if (forceShare) {
            command.add("-U");
        }
        if (acceptsDirectIo(Path.of(target.volume().path()))) {
            command.addAll(List.of("-t", "none"));
        }
        if (target.readsAsZeros()) {
            command.add("--target-is-zero"); // skip writing the image's zero regions into a volume of zeros
        }
        command.addAll(source(image, format));
        command.add(target.volume().path());
        run(command, percentDone);
    }

    /**
     * The source with every driver named, so that nothing is probed and nothing but the image file is opened even if
     * an unsafe image got past the inspector: raw is read as raw; qcow2 through a {@code json:} filename with
     * {@code "backing": null} (qemu-img 7.2 ignores the header's backing file then; the key=value form of
     * {@code --image-opts} takes {@code backing=null} for a node name and fails). qemu-img has no option that blocks
     * an external data file for images without one, so data files are kept out by the inspector alone.
     */
    static List<String> source(Path image, ImageFormat format) {
        return switch (format.name()) {
            case "raw" -> List.of("-f", "raw", image.toString());
            case "qcow2" -> {
                Map<String, Object> file = Map.of("driver", "file", "filename", image.toString());
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("driver", "qcow2");
                options.put("backing", null);
                options.put("file", file);
                try {
                    yield List.of("json:" + AgentJson.MAPPER.writeValueAsString(options));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new AgentException(Kind.CONFLICT, AgentErrorReasons.UNSAFE_IMAGE,
                    "image " + image.getFileName() + " is " + format.name() + "; only qcow2 and raw are converted");
        };
    }

    static boolean acceptsDirectIo(Path target) {
        try (FileChannel ignored = FileChannel.open(target, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Stops running conversions: the agent is shutting down and the volumes stay without a marker (not Ready). */
    @Override
    public void close() {
        running.forEach(Process::destroyForcibly);
    }

    private void run(List<String> command, DoubleConsumer percentDone) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot run qemu-img (is qemu-utils installed?): " + e.getMessage(), e);
        }
        running.add(process);
        try {
            String output = readOutput(process, percentDone);
            int exit = process.waitFor();
            if (exit != 0 && DiskFull.inText(output)) {
                throw poolFull(null, command.getLast(), null);
            }
            if (exit != 0) {
                throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                        command.get(1) + " of " + command.getLast() + " failed (exit " + exit + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "qemu-img " + command.get(1) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED, "qemu-img was interrupted", e);
        } finally {
            running.remove(process);
            process.destroyForcibly(); // no-op once it exited; stops it when we leave early
        }
    }

    /** The failure of a population that filled the pool's disk; the volume keeps no marker, so it is never Ready. */
    static AgentException poolFull(String pool, String volumePath, Throwable cause) {
        return DiskFull.failure("the storage pool" + (pool == null ? "" : " " + pool) + " holding " + volumePath,
                "the population of the volume ran out of space", "free space in the pool (or grow it) and the population is"
                        + " repeated on the next request", cause);
    }

    /** Splits the output at CR and LF; progress marks go to the consumer, everything else is kept for messages. */
    private static String readOutput(Process process, DoubleConsumer percentDone) throws IOException {
        StringBuilder text = new StringBuilder();
        StringBuilder line = new StringBuilder();
        try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            for (int c; (c = reader.read()) != -1; ) {
                if (c == '\r' || c == '\n') {
                    consumeLine(line, text, percentDone);
                } else {
                    line.append((char) c);
                }
            }
        }
        consumeLine(line, text, percentDone);
        return text.toString();
    }

    private static void consumeLine(StringBuilder line, StringBuilder text, DoubleConsumer percentDone) {
        Matcher progress = PROGRESS.matcher(line);
        if (progress.find()) {
            percentDone.accept(Double.parseDouble(progress.group(1)));
        } else if (!line.isEmpty() && text.length() < MAX_MESSAGE_CHARS) {
            text.append(line).append('\n');
        }
        line.setLength(0);
    }
}
