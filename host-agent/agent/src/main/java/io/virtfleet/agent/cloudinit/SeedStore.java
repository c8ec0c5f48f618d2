package io.virtfleet.agent.cloudinit;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CloudInitSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed ISO of each domain, {@code <stateDir>/seeds/<domain>.iso}, with a record of what it holds
 * ({@code <domain>.json}: instance-id and content digest). A seed is rewritten only when its content changes, by
 * writing a new file and renaming it over the old one: a running guest keeps reading the file it opened, the next
 * start sees the new one.
 *
 * <p>Seeds carry a tenant's keys, password hashes and user-data: the directory is 0700 and every file 0600, owned by
 * the agent (root); libvirt gives QEMU access to the one file a domain uses when it starts it (relabelling).
 */
public final class SeedStore {
    private static final Logger LOG = LoggerFactory.getLogger(SeedStore.class);

    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public SeedStore(Path stateDir) {
        this.dir = stateDir.resolve("seeds");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIR_MODE);
            try (Stream<Path> existing = Files.list(dir)) { // written by an agent that did not restrict them yet
                for (Path file : existing.toList()) {
                    Files.setPosixFilePermissions(file, FILE_MODE);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }

    /** What the seed of a domain holds. */
    public record SeedRecord(String instanceId, String sha256) {
    }

    /** Writes (or keeps) the domain's seed ({@link #iso}) and returns what it holds. */
    public SeedRecord write(String domain, CloudInitSeed seed, String instanceId) {
        SeedFiles files = CloudInitDocuments.render(seed, instanceId);
        Path iso = iso(domain);
        Optional<SeedRecord> current = read(domain);
        SeedRecord wanted = new SeedRecord(instanceId, files.digest());
        if (current.isPresent() && current.get().equals(wanted) && Files.exists(iso)) {
            return wanted;
        }
        Path tmp = dir.resolve(domain + ".iso.tmp");
        try {
            Files.deleteIfExists(tmp);
            SeedIso.write(files, tmp);
            Files.setPosixFilePermissions(tmp, FILE_MODE);
            DurableFiles.force(tmp);
            Files.move(tmp, iso, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.replaceAtomically(record(domain), AgentJson.MAPPER.writeValueAsBytes(wanted));
            Files.setPosixFilePermissions(record(domain), FILE_MODE);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, AgentErrorReasons.HOST_ERROR,
                    "cannot write the cloud-init seed of domain " + domain + ": " + e.getMessage(), e);
        }
        LOG.info("domain={} seed written instanceId={} sha256={}", domain, instanceId, files.digest());
        return wanted;
    }

    public Optional<SeedRecord> read(String domain) {
        Path file = record(domain);
        try {
            return Files.exists(file) ? Optional.of(AgentJson.MAPPER.readValue(file.toFile(), SeedRecord.class))
                    : Optional.empty();
        } catch (IOException e) {
            LOG.warn("domain={} unreadable seed record file={} error={}", domain, file, e.getMessage());
            return Optional.empty(); // rewritten by the next PUT
        }
    }

    /** Removes the seed and its record; absent is fine. */
    public void delete(String domain) {
        try {
            Files.deleteIfExists(iso(domain));
            Files.deleteIfExists(record(domain));
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, AgentErrorReasons.HOST_ERROR,
                    "cannot delete the cloud-init seed of domain " + domain + ": " + e.getMessage(), e);
        }
    }

    public Path iso(String domain) {
        return dir.resolve(domain + ".iso");
    }

    private Path record(String domain) {
        return dir.resolve(domain + ".json");
    }
}
