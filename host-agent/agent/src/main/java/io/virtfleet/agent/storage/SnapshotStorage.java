package io.virtfleet.agent.storage;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.DurableFiles;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * How a volume's data is captured, copied and put back, by pool type. File-based pools ({@code dir}): a sparse full
 * copy with {@code qemu-img convert} (zero-aware; the pools here are on ext4, which has no reflinks, so a clone of the
 * extents is not available). {@code logical} pools: an LVM snapshot ({@code lvcreate --snapshot}) and merge-back
 * ({@code lvconvert --merge}); clones are full copies in every pool.
 */
final class SnapshotStorage {
    static final String COPY = "copy";
    static final String LVM = "lvm-snapshot";

    /** Runs a host command (LVM); fails with the command's output. A seam for tests of the command lines. */
    @FunctionalInterface
    interface HostCommands {
        void run(List<String> command);
    }

    private final StoragePools pools;
    private final QemuImg qemuImg;
    private final HostCommands commands;

    SnapshotStorage(StoragePools pools, QemuImg qemuImg, HostCommands commands) {
        this.pools = pools;
        this.qemuImg = qemuImg;
        this.commands = commands;
    }

    /** The method snapshots in {@code pool} use; refuses pool types that have none. */
    String method(String pool) {
        String type = pools.poolType(pool);
        if (StoragePools.fileBased(type)) {
            return COPY;
        }
        if ("logical".equals(type)) {
            return LVM;
        }
        throw AgentException.conflict(AgentErrorReasons.SNAPSHOT_NOT_SUPPORTED, "storage pool " + pool + " is of type "
                + type + "; snapshots are built for dir and logical pools");
    }

    /** Captures {@code source} into the pool volume {@code target} (replacing an interrupted capture). */
    VolumeInfo capture(VolumeInfo source, String target, String method) {
        if (LVM.equals(method)) {
            LvmSnapshotCommands lvm = new LvmSnapshotCommands(pools.volumeGroup(source.pool()));
            pools.deleteVolume(source.pool(), target);
            commands.run(lvm.create(source.name(), target, source.capacityBytes()));
            pools.refresh(source.pool());
            return pools.findVolume(source.pool(), target).orElseThrow(() -> new AgentException(Kind.INTERNAL,
                    AgentErrorReasons.HOST_ERROR, "lvcreate made no volume " + target + " in " + source.pool()));
        }
        return copy(source, source.pool(), target);
    }

    /**
     * Makes {@code volume}'s content the snapshot's. A copy is written over a fresh volume of the snapshot's size; an
     * LVM snapshot is merged into its origin and taken again at once, so that the snapshot stays usable.
     */
    VolumeInfo restore(SnapshotRecord snapshot, VolumeInfo snapshotVolume, VolumeInfo volume) {
        if (LVM.equals(snapshot.method())) {
            LvmSnapshotCommands lvm = new LvmSnapshotCommands(pools.volumeGroup(volume.pool()));
            commands.run(lvm.merge(snapshot.storageVolume()));
            pools.refresh(volume.pool());
            capture(pools.findVolume(volume.pool(), volume.name()).orElseThrow(), snapshot.storageVolume(), LVM);
            return pools.findVolume(volume.pool(), volume.name()).orElseThrow();
        }
        pools.deleteVolume(volume.pool(), volume.name());
        return copy(snapshotVolume, volume.pool(), volume.name());
    }

    /** A new raw volume {@code target} in {@code pool} with {@code source}'s content, flushed to disk. */
    VolumeInfo copy(VolumeInfo source, String pool, String target) {
        pools.deleteVolume(pool, target);
        PreparedVolume prepared = pools.createOrGrow(pool, target, source.capacityBytes());
        qemuImg.copyPausedVolume(Path.of(source.path()), prepared);
        try {
            DurableFiles.force(Path.of(prepared.volume().path()));
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_ERROR,
                    "cannot flush " + prepared.volume().path() + ": " + e.getMessage(), e);
        }
        return prepared.volume();
    }

    /** Runs a command, failing with HostError and its output when it exits non-zero. */
    static void runOnHost(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_ERROR,
                        String.join(" ", command) + " failed (exit " + exit + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_ERROR,
                    "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(Kind.INTERNAL, AgentErrorReasons.HOST_ERROR, command.getFirst() + " was interrupted", e);
        }
    }
}
