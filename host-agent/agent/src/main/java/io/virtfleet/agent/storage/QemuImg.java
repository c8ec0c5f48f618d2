package io.virtfleet.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code qemu-img}: the fastest honest data path from a qcow2 image into a raw volume (see ENVIRONMENT.md). */
final class QemuImg implements AutoCloseable {
    /** {@code -p} prints {@code (12.34/100%)} and a carriage return, also when its output is a pipe. */
    private static final Pattern PROGRESS = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");
    private static final int MAX_MESSAGE_CHARS = 16_000;

    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /** The virtual size of a qcow2 image: the smallest volume it fits in. */
    long virtualSize(Path image) {
        String json = run(List.of("qemu-img", "info", "--output=json", "-f", "qcow2", image.toString()), progress -> {
        }).output();
        try {
            JsonNode size = AgentJson.MAPPER.readTree(json).get("virtual-size");
            if (size == null || !size.canConvertToLong()) {
                throw new IllegalStateException("no virtual-size in qemu-img info output");
            }
            return size.asLong();
        } catch (IOException | IllegalStateException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot read the virtual size of " + image + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the image's disk content into an existing raw target ({@code -n}), zero-aware, with out-of-order
     * parallel writes ({@code -W -m 16}, fastest measured). O_DIRECT ({@code -t none}) only for block devices:
     * files may sit on filesystems that refuse it (tmpfs), and there the page cache plus the final fsync is as safe.
     *
     * @param target      the volume: a file or block device of at least the image's virtual size
     * @param percentDone receives progress in percent (0..100)
     */
    void convertToRaw(Path image, PreparedVolume target, DoubleConsumer percentDone) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "convert", "-p", "-n", "-f", "qcow2", "-O", "raw",
                "-W", "-m", "16"));
        if (target.volume().blockDevice()) {
            command.addAll(List.of("-t", "none"));
        }
        if (target.readsAsZeros()) {
            command.add("--target-is-zero"); // skip writing the image's zero regions into a volume of zeros
        }
        command.addAll(List.of(image.toString(), target.volume().path()));
        run(command, percentDone);
    }

    /** Stops running conversions: the agent is shutting down and the volumes stay without a marker (not Ready). */
    @Override
    public void close() {
        running.forEach(Process::destroyForcibly);
    }

    private record Result(String output) {
    }

    private Result run(List<String> command, DoubleConsumer percentDone) {
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
            if (exit != 0) {
                throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                        command.get(1) + " of " + command.getLast() + " failed (exit " + exit + "): " + output.strip());
            }
            return new Result(output);
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
