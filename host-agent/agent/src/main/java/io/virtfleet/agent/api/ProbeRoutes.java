package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.contract.AgentPaths;

/**
 * What watches the agent reads: {@code GET /healthz} (liveness, no token: 503 "not live" once libvirtd has been unreachable
 * for longer than the grace period, see {@link Liveness}), {@code GET /readyz} (503 "not ready" while
 * not ready, no token; the reason goes to the agent's log only: these answers are unauthenticated) and {@code GET /metrics} (Prometheus text).
 */
final class ProbeRoutes {
    private ProbeRoutes() {
    }

    /** The paths that answer without the bearer token. */
    static boolean open(String path) {
        return path.equals(AgentPaths.HEALTH) || path.equals(AgentPaths.READY);
    }

    static void register(Javalin app, Liveness liveness, Readiness readiness, PrometheusMeterRegistry metrics) {
        app.get(AgentPaths.HEALTH, ctx -> liveness.problem().ifPresentOrElse(
                problem -> ctx.status(503).result("not live"), () -> ctx.result("ok")));
        app.get(AgentPaths.READY, ctx -> readiness.problem().ifPresentOrElse(
                problem -> ctx.status(503).result("not ready"), () -> ctx.result("ready")));
        app.get(AgentPaths.METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
    }
}
