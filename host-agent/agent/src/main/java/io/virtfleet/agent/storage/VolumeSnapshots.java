package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.cache.ImageRequest;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CloneRequest;
import io.virtfleet.agent.contract.RestoreRequest;
import io.virtfleet.agent.contract.SnapshotList;
import io.virtfleet.agent.contract.SnapshotRequest;
import io.virtfleet.agent.contract.SnapshotStatus;
import io.virtfleet.agent.contract.VolumeProvisioning;
import io.virtfleet.agent.contract.VolumeStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of Ready volumes, restores from them and clones of volumes or snapshots, on this host. Every source and
 * target is checked before anything happens: same namespace (the {@code <namespace>.} prefix of the names), the
 * recorded owner of each object named, a Ready raw volume (an Overlay is refused), and for a restore no running domain
 * on the volume. Each operation holds the volume's lock (the one populations, deletions and domain starts take).
 */
public final class VolumeSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeSnapshots.class);

    private final StoragePools pools;
    private final VolumeMarkers markers;
    private final VolumeUsers users;
    private final OwnerRecords volumeOwners;
    private final OwnerRecords snapshotOwners;
    private final JsonRecords<SnapshotRecord> records;
    private final VolumeLocks locks;
    private final SnapshotStorage storage;
    private final Predicate<String> populating;
    private final Predicate<String> exists;

    VolumeSnapshots(Path stateDir, StoragePools pools, VolumeMarkers markers, VolumeUsers users,
                    OwnerRecords volumeOwners, VolumeLocks locks, SnapshotStorage storage, Predicate<String> populating,
                    Predicate<String> exists) {
        this.pools = pools;
        this.markers = markers;
        this.users = users;
        this.volumeOwners = volumeOwners;
        this.snapshotOwners = new OwnerRecords(stateDir, "snapshot");
        this.records = new JsonRecords<>(stateDir.resolve("snapshots"), SnapshotRecord.class);
        this.locks = locks;
        this.storage = storage;
        this.populating = populating;
        this.exists = exists;
    }

    /** Captures the volume (crash-consistent: running domains on it are paused for a copy) or confirms the capture. */
    public SnapshotStatus put(String name, SnapshotRequest request) {
        requireSameNamespace(name, request.volume());
        return locks.with(request.volume(), () -> {
            Optional<SnapshotRecord> existing = records.read(name);
            if (existing.isPresent()) {
                snapshotOwners.claim(name, request.ownerUid(), true);
                if (!existing.get().volume().equals(request.volume())) {
                    throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "snapshot " + name + " captured"
                            + " volume " + existing.get().volume() + ", not " + request.volume() + "; snapshots are"
                            + " immutable: delete it and create it again");
                }
                return status(existing.get());
            }
            VolumeMarker marker = readyMarker(request.volume(), request.volumeOwnerUid());
            VolumeInfo volume = pools.findVolume(marker.pool(), marker.name()).orElseThrow(() -> notReady(marker.name()));
            String method = storage.method(marker.pool());
            snapshotOwners.claim(name, request.ownerUid(), false);
            String target = SnapshotRecord.storageVolumeOf(name);
            VolumeInfo captured = SnapshotStorage.LVM.equals(method) ? storage.capture(volume, target, method)
                    : users.whilePaused(volume, () -> storage.capture(volume, target, method));
            SnapshotRecord record = new SnapshotRecord(name, volume.name(), volume.pool(), target,
                    captured.capacityBytes(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), method);
            records.write(name, record);
            LOG.info("snapshot={} volume={} pool={} method={} bytes={} captured", name, volume.name(), volume.pool(),
                    method, captured.capacityBytes());
            return record.status(captured.path());
        });
    }

    public SnapshotStatus get(String name) {
        return status(records.read(name).orElseThrow(() -> snapshotNotFound(name)));
    }

    public SnapshotList list() {
        return new SnapshotList(records.list().stream().map(this::status).toList());
    }

    /** Removes the snapshot's data and records; absent is fine; another owner's snapshot is refused. */
    public void delete(String name, String ownerUid) {
        Optional<SnapshotRecord> record = records.read(name);
        if (record.isEmpty()) {
            snapshotOwners.forget(name);
            return;
        }
        snapshotOwners.checkDelete(name, ownerUid);
        locks.with(record.get().volume(), () -> {
            pools.deleteVolume(record.get().pool(), record.get().storageVolume());
            records.delete(name);
            snapshotOwners.forget(name);
            return null;
        });
        LOG.info("snapshot={} deleted", name);
    }

    /** Replaces the volume's content with the snapshot's; refused while a running domain uses the volume. */
    public VolumeStatus restore(String volumeName, RestoreRequest request) {
        requireSameNamespace(volumeName, request.snapshot());
        return locks.with(volumeName, () -> {
            SnapshotRecord snapshot = ownedSnapshot(request.snapshot(), request.snapshotOwnerUid());
            if (!snapshot.volume().equals(volumeName)) {
                throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "snapshot " + snapshot.name()
                        + " is of volume " + snapshot.volume() + ", not " + volumeName + "; to copy it into a new"
                        + " volume, clone it");
            }
            VolumeMarker marker = readyMarker(volumeName, request.ownerUid());
            VolumeInfo volume = pools.findVolume(marker.pool(), volumeName).orElseThrow(() -> notReady(volumeName));
            List<String> running = users.runningDomainsUsing(volume);
            if (!running.isEmpty()) {
                throw AgentException.conflict(AgentErrorReasons.VOLUME_IN_USE, "volume " + volumeName + " cannot be"
                        + " restored while running domain(s) " + String.join(", ", running) + " use it; stop them first");
            }
            VolumeInfo data = snapshotVolume(snapshot);
            markers.delete(volumeName); // not Ready while its content is replaced, whatever happens to this agent
            VolumeInfo restored = storage.restore(snapshot, data, volume);
            VolumeMarker after = marker.withSize(restored.capacityBytes());
            markers.write(after);
            LOG.info("volume={} restored from snapshot={} bytes={}", volumeName, snapshot.name(), restored.capacityBytes());
            return VolumeService.readyStatus(after, restored);
        });
    }

    /** Creates the volume as a copy of a volume or snapshot of the same namespace; confirms an earlier clone. */
    public VolumeStatus cloneInto(String name, CloneRequest request) {
        if ((request.sourceVolume() == null) == (request.sourceSnapshot() == null)) {
            throw AgentException.invalid("a clone names exactly one of sourceVolume and sourceSnapshot");
        }
        String source = request.sourceVolume() != null ? request.sourceVolume() : request.sourceSnapshot();
        requireSameNamespace(name, source);
        return locks.with(name, () -> {
            Optional<VolumeMarker> existing = markers.read(name);
            boolean ours = request.ownerUid() != null
                    && volumeOwners.read(name).equals(Optional.of(request.ownerUid()));
            if (existing.isPresent() && ours) {
                VolumeInfo volume = pools.findVolume(existing.get().pool(), name).orElseThrow(() -> notReady(name));
                return VolumeService.readyStatus(existing.get(), volume); // cloned before: the copy belongs to this owner
            }
            // a volume without a marker that this owner's clone left (interrupted copy) is copied again
            if (existing.isPresent() || populating.test(name) || (exists.test(name) && !ours)) {
                throw AgentException.conflict(AgentErrorReasons.INVALID_REQUEST, "volume " + name + " exists already;"
                        + " a clone creates a new volume");
            }
            VolumeMarker sourceMarker;
            VolumeInfo sourceData;
            if (request.sourceVolume() != null) {
                sourceMarker = locks.with(source, () -> readyMarker(source, request.sourceOwnerUid()));
                sourceData = pools.findVolume(sourceMarker.pool(), source).orElseThrow(() -> notReady(source));
            } else {
                SnapshotRecord snapshot = ownedSnapshot(source, request.sourceOwnerUid());
                sourceData = snapshotVolume(snapshot);
                sourceMarker = markers.read(snapshot.volume()).orElse(new VolumeMarker(snapshot.volume(),
                        snapshot.pool(), null, null, null, snapshot.sizeBytes(), snapshot.createdAt(), null));
            }
            volumeOwners.claim(name, request.ownerUid(), false);
            VolumeInfo copy = users.whilePaused(sourceData, () -> storage.copy(sourceData, sourceData.pool(), name));
            VolumeMarker marker = new VolumeMarker(name, copy.pool(), sourceMarker.imageUrl(),
                    sourceMarker.imageSha256(), null, copy.capacityBytes(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), sourceMarker.imageVerified(),
                    VolumeProvisioning.Copy, null);
            markers.write(marker);
            LOG.info("volume={} cloned from={} pool={} bytes={}", name, source, copy.pool(), copy.capacityBytes());
            return VolumeService.readyStatus(marker, copy);
        });
    }

    /** The marker of a Ready raw volume whose recorded owner (if any) is {@code ownerUid}. */
    private VolumeMarker readyMarker(String volume, String ownerUid) {
        if (populating.test(volume)) {
            throw notReady(volume);
        }
        requireOwner(volumeOwners, "volume", volume, ownerUid);
        VolumeMarker marker = markers.read(volume).orElseThrow(() -> notReady(volume));
        if (marker.provisioningOrDefault() == VolumeProvisioning.Overlay) {
            throw AgentException.conflict(AgentErrorReasons.SNAPSHOT_NOT_SUPPORTED, "volume " + volume + " is an"
                    + " Overlay (a qcow2 layer over a cached image): snapshots, restores and clones are built for"
                    + " volumes provisioned as Copy");
        }
        return marker;
    }

    private SnapshotRecord ownedSnapshot(String name, String ownerUid) {
        SnapshotRecord snapshot = records.read(name).orElseThrow(() -> snapshotNotFound(name));
        requireOwner(snapshotOwners, "snapshot", name, ownerUid);
        return snapshot;
    }

    /** A recorded owner must be named: one object's volume or snapshot is never a source for another's request. */
    private static void requireOwner(OwnerRecords owners, String kind, String name, String ownerUid) {
        Optional<String> recorded = owners.read(name);
        if (recorded.isPresent() && !Objects.equals(recorded.get(), ownerUid)) {
            throw AgentException.conflict(AgentErrorReasons.OWNED_BY_ANOTHER, kind + " " + name + " belongs to object "
                    + recorded.get() + ", not to " + ownerUid);
        }
    }

    private static void requireSameNamespace(String target, String source) {
        if (source == null || !ImageRequest.tenantOf(target).equals(ImageRequest.tenantOf(source))) {
            throw AgentException.conflict(AgentErrorReasons.CROSS_NAMESPACE, "'" + source + "' is not in the namespace"
                    + " of '" + target + "' (names start with '<namespace>.'); sources of another namespace are refused");
        }
    }

    private VolumeInfo snapshotVolume(SnapshotRecord snapshot) {
        return pools.findVolume(snapshot.pool(), snapshot.storageVolume()).orElseThrow(() -> AgentException.conflict(
                AgentErrorReasons.SNAPSHOT_NOT_FOUND, "the data of snapshot " + snapshot.name() + " ("
                        + snapshot.pool() + "/" + snapshot.storageVolume() + ") is gone from the host"));
    }

    private SnapshotStatus status(SnapshotRecord record) {
        return record.status(pools.findVolume(record.pool(), record.storageVolume()).map(VolumeInfo::path).orElse(null));
    }

    private static AgentException notReady(String volume) {
        return AgentException.conflict(AgentErrorReasons.VOLUME_NOT_READY, "volume " + volume + " is not Ready");
    }

    private static AgentException snapshotNotFound(String name) {
        return AgentException.notFound(AgentErrorReasons.SNAPSHOT_NOT_FOUND, "snapshot " + name + " does not exist");
    }
}
