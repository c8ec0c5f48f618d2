package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.network.NetworkService;

/**
 * The networks' routes: {@code PUT /api/v1/networks/{name}} (200 once the network is defined and active), {@code GET}
 * (404 when absent) and {@code DELETE} (204, also when absent).
 */
final class NetworkRoutes {
    private NetworkRoutes() {
    }

    static void register(Javalin app, NetworkService networks) {
        String path = Requests.named(AgentPaths.NETWORKS);
        app.put(path, Requests.put(NetworkRequest.class, request -> { }, networks::put, (request, status) -> status.active()));
        app.get(path, ctx -> ctx.json(networks.get(Requests.name(ctx))));
        app.delete(path, Requests.delete(networks::delete));
    }
}
