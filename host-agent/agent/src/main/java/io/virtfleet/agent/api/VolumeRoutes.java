package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.provision.ProvisionService;
import io.virtfleet.agent.storage.VolumeService;
import java.time.Duration;

/**
 * The volumes' routes: {@code PUT /api/v1/volumes/{name}} (202 while downloading or populating, 200 once Ready or
 * Failed), {@code GET} (also as a long poll with {@code waitWhilePhase} and {@code waitSeconds}) and {@code DELETE}
 * (204, also when absent; {@code ?ownerUid=} deletes only the owner's). A PUT never creates a volume in the
 * provisioning call's name space ({@code vf-prov-<name>} without '.' or '_', see {@link ProvisionService#reserved});
 * GET and DELETE reach those volumes like any other.
 */
final class VolumeRoutes {
    private VolumeRoutes() {
    }

    static void register(Javalin app, VolumeService volumes) {
        String path = Requests.named(AgentPaths.VOLUMES);
        app.put(path, Requests.put(VolumeRequest.class, VolumeRoutes::check,
                (name, request) -> volumes.put(notReserved(name), request),
                (request, status) -> status.phase() == VolumePhase.Ready || status.phase() == VolumePhase.Failed));
        app.get(path, ctx -> {
            String seen = ctx.queryParam(AgentPaths.WAIT_WHILE_PHASE);
            if (seen == null) {
                ctx.json(volumes.get(Requests.name(ctx)));
                return;
            }
            ctx.json(volumes.awaitPhaseChange(Requests.name(ctx), volumePhase(seen), waitTimeout(ctx)));
        });
        app.delete(path, Requests.delete(volumes::delete));
        SnapshotRoutes.register(app, volumes.snapshots());
    }

    private static void check(VolumeRequest request) {
        if (request.pool() != null) {
            ResourceNames.requirePool(request.pool());
        }
        ResourceNames.requireOwnerUid(request.ownerUid());
    }

    /** The provisioning call's name space is its own: the volume API does not create volumes in it. */
    private static String notReserved(String name) {
        if (ProvisionService.reserved(name)) {
            throw AgentException.invalid("volume " + name + " is reserved for POST " + AgentPaths.PROVISION
                    + ": names " + ProvisionService.VOLUME_PREFIX + "<name> without '.' or '_' are that call's");
        }
        return name;
    }

    private static VolumePhase volumePhase(String value) {
        try {
            return VolumePhase.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid(AgentPaths.WAIT_WHILE_PHASE + " must be a volume phase: " + value);
        }
    }

    /** How long a long poll may wait: {@code waitSeconds}, 20 by default, at most 60. */
    private static Duration waitTimeout(Context ctx) {
        String seconds = ctx.queryParam(AgentPaths.WAIT_SECONDS);
        try {
            long value = seconds == null ? 20 : Long.parseLong(seconds);
            return Duration.ofSeconds(Math.max(0, Math.min(60, value)));
        } catch (NumberFormatException e) {
            throw AgentException.invalid(AgentPaths.WAIT_SECONDS + " must be a whole number of seconds");
        }
    }
}
