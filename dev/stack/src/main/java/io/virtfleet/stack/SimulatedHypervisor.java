package io.virtfleet.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hypervisor simulated by libvirt's test driver: a node file ({@code test:///<file>}) declares its CPUs and memory,
 * and every connection to that file gets a fresh, private driver state, so each agent has a host of its own. Domains
 * defined there are metadata only: nothing runs.
 *
 * @param cpus        CPUs the node reports
 * @param memoryBytes memory the node reports (a multiple of 1 KiB)
 */
public record SimulatedHypervisor(int cpus, long memoryBytes) {
    public SimulatedHypervisor {
        if (cpus < 1 || memoryBytes < 1024 || memoryBytes % 1024 != 0) {
            throw new IllegalArgumentException("cpus >= 1 and memory in whole KiB: " + cpus + ", " + memoryBytes);
        }
    }

    /** Writes the node file and returns the libvirt URI that opens it. */
    public String writeNodeFile(Path file) {
        String node = """
                <node>
                  <cpu>
                    <mhz>2400</mhz>
                    <model>x86_64</model>
                    <active>%d</active>
                    <nodes>1</nodes>
                    <sockets>1</sockets>
                    <cores>%d</cores>
                    <threads>1</threads>
                  </cpu>
                  <memory>%d</memory>
                </node>
                """.formatted(cpus, cpus, memoryBytes / 1024);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "test://" + file.toAbsolutePath();
    }
}
