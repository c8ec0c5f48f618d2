package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.domain.DomainService;

/**
 * The domains' routes: {@code PUT /api/v1/domains/{name}} (200 once the domain's state matches {@code running}, 202
 * while a stop is under way), {@code GET}, {@code POST .../suspend} and {@code .../resume} (with {@code ?ownerUid=}: only the owner's), and {@code DELETE} (202 with
 * the domain's status while its guest shuts down before the removal, 204 once it is gone, also when absent;
 * {@code ?ownerUid=} deletes only the owner's).
 */
final class DomainRoutes {
    private DomainRoutes() {
    }

    static void register(Javalin app, DomainService domains) {
        String path = Requests.named(AgentPaths.DOMAINS);
        app.put(path, Requests.put(DomainRequest.class, request -> {
            ResourceNames.require("rootVolume", request.rootVolume());
            ResourceNames.requireOwnerUid(request.ownerUid());
            if (request.nics() != null) {
                request.nics().stream().filter(nic -> nic != null && nic.network() != null)
                        .forEach(nic -> ResourceNames.require("nic network", nic.network()));
            }
        }, domains::put, (request, status) -> request.running() == (status.phase() == DomainPhase.Running)));
        app.get(path, ctx -> ctx.json(domains.get(Requests.name(ctx))));
        app.post(path + "/suspend", ctx -> ctx.json(domains.suspend(Requests.name(ctx), Requests.ownerUid(ctx))));
        app.post(path + "/resume", ctx -> ctx.json(domains.resume(Requests.name(ctx), Requests.ownerUid(ctx))));
        app.delete(path, Requests.deleteInBackground(domains::delete));
    }
}
