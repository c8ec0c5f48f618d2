package io.virtfleet.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.virtfleet.agent.AgentException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.agent.AgentJson;
import io.virtfleet.agent.cache.ImageCache;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.agent.domain.DomainService;
import io.virtfleet.agent.storage.VolumeService;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API (Javalin). Every route but {@code GET /healthz} requires the bearer token.
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
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
    private static final String NAME = "name";

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
            if (!ctx.path().equals(AgentPaths.HEALTH) && !ctx.path().equals(AgentPaths.READY)) {
                auth.check(ctx.header("Authorization"));
            }
        });
        app.get(AgentPaths.HEALTH, ctx -> ctx.result("ok"));
        app.get(AgentPaths.READY, ctx -> readiness.problem().ifPresentOrElse(
                problem -> ctx.status(503).result("not ready: " + problem), () -> ctx.result("ready")));
        app.get(AgentPaths.METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        CacheRoutes.register(app, cache);
        host.register(app);

        String volumePath = AgentPaths.VOLUMES + "/{" + NAME + "}";
        app.put(volumePath, ctx -> {
            VolumeRequest request = body(ctx, VolumeRequest.class);
            if (request != null && request.pool() != null) {
                ResourceNames.requirePool(request.pool());
            }
            if (request != null) {
                ResourceNames.requireOwnerUid(request.ownerUid());
            }
            VolumeStatus status = volumes.put(name(ctx), request);
            boolean settled = status.phase() == VolumePhase.Ready || status.phase() == VolumePhase.Failed;
            ctx.status(settled ? 200 : 202).json(status);
        });
        app.get(volumePath, ctx -> {
            String seen = ctx.queryParam(AgentPaths.WAIT_WHILE_PHASE);
            if (seen == null) {
                ctx.json(volumes.get(name(ctx)));
                return;
            }
            ctx.json(volumes.awaitPhaseChange(name(ctx), volumePhase(seen), waitTimeout(ctx)));
        });
        app.delete(volumePath, ctx -> {
            volumes.delete(name(ctx), ownerUid(ctx));
            ctx.status(204);
        });

        String domainPath = AgentPaths.DOMAINS + "/{" + NAME + "}";
        app.put(domainPath, ctx -> {
            DomainRequest request = body(ctx, DomainRequest.class);
            if (request != null) {
                ResourceNames.require("rootVolume", request.rootVolume());
                ResourceNames.requireOwnerUid(request.ownerUid());
            }
            DomainStatus status = domains.put(name(ctx), request);
            boolean settled = request.running() == (status.phase() == DomainPhase.Running);
            ctx.status(settled ? 200 : 202).json(status);
        });
        app.get(domainPath, ctx -> ctx.json(domains.get(name(ctx))));
        app.post(domainPath + "/suspend", ctx -> ctx.json(domains.suspend(name(ctx))));
        app.post(domainPath + "/resume", ctx -> ctx.json(domains.resume(name(ctx))));
        app.delete(domainPath, ctx -> {
            domains.delete(name(ctx), ownerUid(ctx));
            ctx.status(204);
        });

        app.exception(AgentException.class, (e, ctx) -> {
            int status = statusOf(e.kind());
            if (status >= 500) {
                LOG.error("request failed method={} path={} reason={} message={}", ctx.method(), ctx.path(),
                        e.reason(), e.getMessage(), e.getCause());
            }
            ctx.status(status).json(e.toError());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request failed method={} path={}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new AgentError(AgentErrorReasons.LIBVIRT_ERROR, "internal error: " + e));
        });
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

    static int statusOf(AgentException.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INTERNAL -> 500;
        };
    }

    private static String name(Context ctx) {
        return ResourceNames.require("name", ctx.pathParam(NAME));
    }

    /** {@code ?ownerUid=}: a deletion only of what that owner's object owns; absent: no owner check. */
    private static String ownerUid(Context ctx) {
        return ResourceNames.requireOwnerUid(ctx.queryParam(AgentPaths.OWNER_UID));
    }

    static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw AgentException.invalid("a JSON " + type.getSimpleName() + " body is required");
        }
        try {
            return AgentJson.MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw AgentException.invalid("the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AgentException.invalid("cannot read the request body: " + e.getMessage());
        }
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
