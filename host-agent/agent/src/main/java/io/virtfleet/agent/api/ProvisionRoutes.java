package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.ProvisionRequest;
import io.virtfleet.agent.contract.ProvisionStatus;
import io.virtfleet.agent.provision.ProvisionService;

/**
 * {@code POST /api/v1/provision} (registered only when the agent enables it): 200 with the {@link ProvisionStatus}
 * once the volume is Ready, 202 while the population still runs at the wait ceiling, 409 when it Failed (the status
 * carries the reason); refusals as on every route (400, 401, 409).
 */
final class ProvisionRoutes {
    private ProvisionRoutes() {
    }

    static void register(Javalin app, ProvisionService provisioning) {
        app.post(AgentPaths.PROVISION, ctx -> {
            ProvisionRequest request = Requests.body(ctx, ProvisionRequest.class);
            if (request.pool() != null) {
                ResourceNames.requirePool(request.pool());
            }
            ProvisionStatus status = provisioning.provision(request);
            ctx.status(switch (status.phase()) {
                case Ready -> 200;
                case Failed -> 409;
                default -> 202;
            }).json(status);
        });
    }
}
