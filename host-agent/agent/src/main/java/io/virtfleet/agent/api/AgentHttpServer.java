package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.domain.DomainService;
import io.virtfleet.agent.storage.VolumeService;

/**
 * The agent's HTTP API (Javalin): assembles one routes class per resource ({@link ProbeRoutes}, {@link CacheRoutes},
 * {@link HostRoutes}, {@link VolumeRoutes}, {@link DomainRoutes}), the bearer token in front of every route but the
 * probes, and {@link ErrorResponses}.
 *
 * <p>Status codes: PUT answers 202 Accepted with the current status while work continues in the background (a
 * volume being downloaded or populated, a domain still shutting down) and 200 once the status matches the request
 * (or the volume population Failed; the body says why). GET answers 200, or 404 when the volume or domain does not
 * exist. DELETE answers 204, also when there was nothing to delete. Errors carry an {@link AgentError} body: 400
 * invalid request, 401 missing or wrong token, 404 not found, 409 conflict with the host's state (volume not Ready,
 * in use, being populated, reprovisioning, pool missing) or with the platform's allow-lists and owners (host path,
 * bridge or pool not allowed, owned by another object), 500 libvirt or host failures.
 */
public final class AgentHttpServer implements AutoCloseable {
    private final Javalin app;

    private AgentHttpServer(Javalin app) {
        this.app = app;
    }

    public static AgentHttpServer start(String bindAddress, int port, String token, VolumeService volumes,
                                        DomainService domains, ImageCache cache, PrometheusMeterRegistry metrics,
                                        HostRoutes host, Readiness readiness) {
        BearerAuth auth = new BearerAuth(token);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(AgentJson.MAPPER, false));
        });
        app.before(ctx -> {
            if (!ProbeRoutes.open(ctx.path())) {
                auth.check(ctx.header("Authorization"));
            }
        });
        ProbeRoutes.register(app, readiness, metrics);
        CacheRoutes.register(app, cache);
        host.register(app);
        VolumeRoutes.register(app, volumes);
        DomainRoutes.register(app, domains);
        ErrorResponses.register(app);
        app.start(bindAddress, port);
        return new AgentHttpServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
