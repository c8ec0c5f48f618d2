package io.virtfleet.agent.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds UEFI firmware on the host through QEMU's firmware descriptors ({@code /usr/share/qemu/firmware/*.json},
 * overridden by same-named files in {@code /etc/qemu/firmware}), as installed by the {@code ovmf} package. Picks, in
 * file-name order, the first flash firmware for x86_64 q35 machines that needs neither SMM nor Secure Boot (those
 * need extra machine features the agent does not set).
 */
public final class FirmwareCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(FirmwareCatalog.class);
    public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/usr/share/qemu/firmware"), Path.of("/etc/qemu/firmware"));
    private static final List<String> UNSUPPORTED_FEATURES = List.of("requires-smm", "secure-boot", "enrolled-keys");

    private final List<Path> dirs;

    /** @param dirs descriptor folders, lowest priority first: a later folder's file replaces a same-named one */
    public FirmwareCatalog(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** UEFI code and NVRAM template files for a q35 guest. */
    public record Uefi(String code, String nvramTemplate) {
    }

    /** The UEFI firmware to use, or 409 FirmwareNotFound saying what to install. */
    public Uefi uefi() {
        for (Path descriptor : descriptors().values()) {
            Optional<Uefi> firmware = read(descriptor);
            if (firmware.isPresent()) {
                return firmware.get();
            }
        }
        throw AgentException.conflict(AgentErrorReasons.FIRMWARE_NOT_FOUND, "firmware uefi was requested but this"
                + " host has no usable UEFI firmware (no descriptor for x86_64 q35 flash firmware without SMM in "
                + dirs + "); install the ovmf package or use firmware bios");
    }

    private Map<String, Path> descriptors() {
        Map<String, Path> byName = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(file -> file.getFileName().toString().endsWith(".json"))
                        .forEach(file -> byName.put(file.getFileName().toString(), file));
            } catch (IOException e) {
                LOG.warn("cannot list firmware descriptors dir={} error={}", dir, e.getMessage());
            }
        }
        return byName;
    }

    private static Optional<Uefi> read(Path descriptor) {
        try {
            JsonNode json = AgentJson.MAPPER.readTree(descriptor.toFile());
            JsonNode mapping = json.path("mapping");
            boolean suitable = texts(json.path("interface-types")).contains("uefi")
                    && "flash".equals(mapping.path("device").asText())
                    && fitsQ35(json.path("targets"))
                    && texts(json.path("features")).stream().noneMatch(UNSUPPORTED_FEATURES::contains);
            String code = mapping.path("executable").path("filename").asText("");
            String template = mapping.path("nvram-template").path("filename").asText("");
            if (suitable && Files.isRegularFile(Path.of(code)) && Files.isRegularFile(Path.of(template))) {
                return Optional.of(new Uefi(code, template));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("unreadable firmware descriptor file={} error={}", descriptor, e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean fitsQ35(JsonNode targets) {
        for (JsonNode target : targets) {
            if ("x86_64".equals(target.path("architecture").asText())
                    && texts(target.path("machines")).stream().anyMatch(m -> m.startsWith("pc-q35-") || m.equals("q35"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
