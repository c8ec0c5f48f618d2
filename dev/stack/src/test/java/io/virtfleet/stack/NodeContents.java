package io.virtfleet.stack;

import io.virtfleet.agent.libvirt.LibvirtXml;
import io.virtfleet.fixtures.HostPrerequisites;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one node of the local stack holds, read where it lives: libvirt's domains and pool volumes, the agent's
 * files (pool, seeds, consoles, volume markers) and libvirt's NVRAM files. Tests look here, not at the agent's API,
 * so that "nothing left" means nothing on the host.
 */
final class NodeContents {
    /** Where libvirt keeps per-domain UEFI variable stores. */
    static final Path NVRAM_DIR = Path.of("/var/lib/libvirt/qemu/nvram");
    /** VIR_DOMAIN_UNDEFINE_NVRAM: undefine removes the domain's NVRAM file too. */
    private static final int UNDEFINE_NVRAM = 4;

    private final LocalNode node;

    NodeContents(LocalNode node) {
        this.node = node;
    }

    /**
     * A libvirt domain as libvirt reports it; {@code id} is new at every start, -1 while shut off; {@code state} is
     * libvirt's own (running, paused, shut off, ...).
     */
    record DomainFacts(boolean active, int id, int vcpus, boolean autostart, LibvirtXml.Parsed xml,
                       DomainInfo.DomainState state) {
    }

    Optional<DomainFacts> domain(String name) throws LibvirtException {
        Connect libvirt = new Connect(HostPrerequisites.LIBVIRT_URI);
        try {
            Domain domain = libvirt.domainLookupByName(name);
            DomainInfo info = domain.getInfo();
            return Optional.of(new DomainFacts(domain.isActive() == 1, domain.getID(), info.nrVirtCpu,
                    domain.getAutostart(), LibvirtXml.parse(domain.getXMLDesc(0)), info.state));
        } catch (LibvirtException e) {
            return Optional.empty();
        } finally {
            libvirt.close();
        }
    }

    Path volumeFile(String agentVolumeName) {
        return node.config().poolPath().resolve(agentVolumeName);
    }

    Path seedIso(String domain) {
        return node.config().stateDir().resolve("seeds").resolve(domain + ".iso");
    }

    Path consoleLog(String domain) {
        return node.config().stateDir().resolve("consoles").resolve(domain + ".log");
    }

    /** A file as text, byte for byte (seed ISOs and console logs are not UTF-8 throughout); "" when absent. */
    static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * Everything whose name starts with {@code prefix} (agent-side names are {@code <namespace>.<name>}): libvirt
     * domains, volumes of the node's pool, files under the pool, the agent's state and the NVRAM directory.
     */
    List<String> leftovers(String prefix) throws LibvirtException, IOException {
        List<String> found = new ArrayList<>();
        Connect libvirt = new Connect(HostPrerequisites.LIBVIRT_URI);
        try {
            for (String name : domainNames(libvirt)) {
                if (name.startsWith(prefix)) {
                    found.add("libvirt domain " + name);
                }
            }
            var pool = libvirt.storagePoolLookupByName(node.poolName());
            pool.refresh(0);
            for (String volume : pool.listVolumes()) {
                if (volume.startsWith(prefix)) {
                    found.add("pool volume " + volume);
                }
            }
        } finally {
            libvirt.close();
        }
        for (Path root : List.of(node.config().poolPath(), node.config().stateDir(), NVRAM_DIR)) {
            found.addAll(files(root, prefix));
        }
        return found;
    }

    /** Removes the domains a failed test may leave behind on the shared libvirtd (volumes go with the pool). */
    void removeDomains(String prefix) throws LibvirtException {
        Connect libvirt = new Connect(HostPrerequisites.LIBVIRT_URI);
        try {
            for (String name : domainNames(libvirt)) {
                if (name.startsWith(prefix)) {
                    Domain domain = libvirt.domainLookupByName(name);
                    if (domain.isActive() == 1) {
                        domain.destroy();
                    }
                    domain.undefine(UNDEFINE_NVRAM);
                }
            }
        } finally {
            libvirt.close();
        }
    }

    private static List<String> domainNames(Connect libvirt) throws LibvirtException {
        List<String> names = new ArrayList<>(List.of(libvirt.listDefinedDomains()));
        for (int id : libvirt.listDomains()) {
            try {
                names.add(libvirt.domainLookupByID(id).getName());
            } catch (LibvirtException gone) {
                // The libvirtd is shared: another test's domain may stop between the listing and the look-up.
            }
        }
        return names;
    }

    private static List<String> files(Path root, String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().startsWith(prefix)).map(p -> "file " + p).toList();
        }
    }
}
