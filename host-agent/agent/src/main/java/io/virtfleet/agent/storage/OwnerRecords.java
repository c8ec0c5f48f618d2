package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which object (Kubernetes UID) a volume or domain was created for: {@code <stateDir>/owners/<kind>s/<name>.json},
 * written durably before anything is created for the owner and removed after the object is gone. A record counts only
 * while its object exists (a record left by a failed or interrupted creation guards nothing). Requests without an owner
 * (callers outside Kubernetes) are not checked and record nothing; an existing object with no record (created before
 * owners were recorded) is claimed by the first owner that asks for it.
 */
public final class OwnerRecords {
    private final String kind;
    private final Path dir;

    /** @param kind {@code volume} or {@code domain}: names the directory and the error messages */
    public OwnerRecords(Path stateDir, String kind) {
        this.kind = kind;
        this.dir = stateDir.resolve("owners").resolve(kind + "s");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The record's content. */
    record Owner(String ownerUid) {
    }

    public Optional<String> read(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(AgentJson.MAPPER.readValue(file.toFile(), Owner.class).ownerUid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read owner record " + file, e);
        }
    }

    /**
     * Refuses (409 OwnedByAnotherObject) when {@code exists} and another owner is recorded; otherwise records
     * {@code ownerUid} as the owner (no-op for a null one).
     */
    public void claim(String name, String ownerUid, boolean exists) {
        if (ownerUid == null) {
            return;
        }
        Optional<String> recorded = read(name);
        if (exists && recorded.isPresent() && !recorded.get().equals(ownerUid)) {
            throw ownedByAnother(name, recorded.get(), ownerUid);
        }
        if (!recorded.equals(Optional.of(ownerUid))) {
            Path file = file(name);
            try {
                DurableFiles.replaceAtomically(file, AgentJson.MAPPER.writeValueAsBytes(new Owner(ownerUid)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write owner record " + file, e);
            }
        }
    }

    /** Refuses (409 OwnedByAnotherObject) a deletion by {@code ownerUid} when another owner is recorded. */
    public void checkDelete(String name, String ownerUid) {
        if (ownerUid == null) {
            return;
        }
        Optional<String> recorded = read(name);
        if (recorded.isPresent() && !recorded.get().equals(ownerUid)) {
            throw ownedByAnother(name, recorded.get(), ownerUid);
        }
    }

    /** Removes the record once the object is gone; absent is fine. */
    public void forget(String name) {
        try {
            if (Files.deleteIfExists(file(name))) {
                DurableFiles.syncDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete owner record " + file(name), e);
        }
    }

    private AgentException ownedByAnother(String name, String recorded, String asking) {
        return AgentException.conflict(AgentErrorReasons.OWNED_BY_ANOTHER, kind + " " + name + " belongs to object "
                + recorded + ", not to " + asking + "; it is neither adopted nor deleted by another object");
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }
}
