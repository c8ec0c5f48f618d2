package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.domain.DomainService;

/**
 * The consoles' WebSocket routes: {@code /api/v1/domains/{name}/console} (serial) and {@code .../vnc} (RFB), each
 * relayed to the domain's UNIX socket ({@link SocketRelay}). Before the upgrade the name is checked and the domain
 * must be one this agent defined and running (and have VNC, for VNC), so refusals are plain HTTP answers (400, 404,
 * 409) with an error body; the transport (mutual TLS) and the token are checked as for every route.
 */
final class ConsoleRoutes {
    private ConsoleRoutes() {
    }

    static void register(Javalin app, DomainService domains) {
        route(app, domains, AgentPaths.CONSOLE_SUFFIX, false);
        route(app, domains, AgentPaths.VNC_SUFFIX, true);
    }

    private static void route(Javalin app, DomainService domains, String suffix, boolean vnc) {
        String path = Requests.named(AgentPaths.DOMAINS) + suffix;
        String what = vnc ? "vnc" : "console";
        app.wsBeforeUpgrade(path, ctx -> domains.consoleSocket(Requests.name(ctx), vnc));
        app.ws(path, ws -> SocketRelay.configure(ws, what, ctx -> domains.consoleSocket(
                ResourceNames.require("name", ctx.pathParam(Requests.NAME)), vnc)));
    }
}
