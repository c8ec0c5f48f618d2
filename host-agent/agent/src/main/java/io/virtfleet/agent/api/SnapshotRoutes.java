package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CloneRequest;
import io.virtfleet.agent.contract.RestoreRequest;
import io.virtfleet.agent.contract.SnapshotRequest;
import io.virtfleet.agent.storage.VolumeSnapshots;

/**
 * Snapshots, restores and clones: {@code PUT|GET|DELETE /api/v1/snapshots/{name}} and {@code GET /api/v1/snapshots};
 * {@code POST /api/v1/volumes/{name}/restore}; {@code PUT /api/v1/volumes/{name}/clone}. Every name in a body is
 * checked like a path name (no '/', no '_', no '..' start) before the storage layer sees it. Copies run within the
 * request: they answer 200 once the data is on disk.
 */
final class SnapshotRoutes {
    private SnapshotRoutes() {
    }

    static void register(Javalin app, VolumeSnapshots snapshots) {
        String snapshot = Requests.named(AgentPaths.SNAPSHOTS);
        app.put(snapshot, Requests.put(SnapshotRequest.class, SnapshotRoutes::check, snapshots::put, (r, s) -> true));
        app.get(AgentPaths.SNAPSHOTS, ctx -> ctx.json(snapshots.list()));
        app.get(snapshot, ctx -> ctx.json(snapshots.get(Requests.name(ctx))));
        app.delete(snapshot, Requests.delete(snapshots::delete));
        app.post(AgentPaths.volumeRestore("{" + Requests.NAME + "}"), Requests.put(RestoreRequest.class,
                SnapshotRoutes::check, snapshots::restore, (r, s) -> true));
        app.put(AgentPaths.volumeClone("{" + Requests.NAME + "}"), Requests.put(CloneRequest.class,
                SnapshotRoutes::check, snapshots::cloneInto, (r, s) -> true));
    }

    private static void check(SnapshotRequest request) {
        ResourceNames.require("volume", request.volume());
        ResourceNames.requireOwnerUid(request.volumeOwnerUid());
        ResourceNames.requireOwnerUid(request.ownerUid());
    }

    private static void check(RestoreRequest request) {
        ResourceNames.require("snapshot", request.snapshot());
        ResourceNames.requireOwnerUid(request.ownerUid());
        ResourceNames.requireOwnerUid(request.snapshotOwnerUid());
    }

    private static void check(CloneRequest request) {
        if (request.sourceVolume() != null) {
            ResourceNames.require("sourceVolume", request.sourceVolume());
        }
        if (request.sourceSnapshot() != null) {
            ResourceNames.require("sourceSnapshot", request.sourceSnapshot());
        }
        ResourceNames.requireOwnerUid(request.sourceOwnerUid());
        ResourceNames.requireOwnerUid(request.ownerUid());
    }
}
