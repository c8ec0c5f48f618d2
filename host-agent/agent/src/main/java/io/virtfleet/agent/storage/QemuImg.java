package io.virtfleet.agent.storage;

import com.sun.nio.file.ExtendedOpenOption;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private static final int QCOW2_MAGIC = 0x514649fb;
    private static final int QCOW2_SIZE_OFFSET = 24;

    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * The virtual size of a qcow2 image: the smallest volume it fits in. Read from the header (big-endian u64 at
     * byte 24, after the magic {@code QFI\xfb}) rather than with {@code qemu-img info}: one process less per
     * population.
     */
    long virtualSize(Path image) {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(QCOW2_SIZE_OFFSET + Long.BYTES);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read the whole header prefix
            }
            header.flip();
            if (header.remaining() < header.capacity() || header.getInt(0) != QCOW2_MAGIC) {
                throw new AgentException(Kind.CONFLICT, AgentErrorReasons.POPULATE_FAILED,
                        "image " + image.getFileName() + " is not a qcow2 image");
            }
            return header.getLong(QCOW2_SIZE_OFFSET);
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.POPULATE_FAILED,
                    "cannot read the virtual size of " + image + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the image's disk content into an existing raw target ({@code -n}), zero-aware, with out-of-order
     * parallel writes ({@code -W -m 16}, fastest measured). The page cache is bypassed ({@code -t none}) wherever the
     * target accepts O_DIRECT: the data has to reach the disk before the volume is Ready anyway, and writing it
     * directly was faster and steadier than writing it to the page cache and flushing (see README). Targets that
     * refuse O_DIRECT (files on tmpfs) use the page cache and the final fsync.
     *
     * @param target      the volume: a file or block device of at least the image's virtual size
     * @param percentDone receives progress in percent (0..100)
     */
    void convertToRaw(Path image, PreparedVolume target, DoubleConsumer percentDone) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "convert", "-p", "-n", "-f", "qcow2", "-O", "raw",
                "-W", "-m", "16"));
        if (acceptsDirectIo(Path.of(target.volume().path()))) {
            command.addAll(List.of("-t", "none"));
        }
        if (target.readsAsZeros()) {
            command.add("--target-is-zero"); // skip writing the image's zero regions into a volume of zeros
        }
        command.addAll(List.of(image.toString(), target.volume().path()));
        run(command, percentDone);
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
