package io.virtfleet.agent.api;

import io.javalin.Javalin;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed call answers, for every route alike: an {@link AgentError} body with 400 invalid request, 401 missing
 * or wrong token, 404 not found, 409 conflict with the host's state (including more vCPUs or memory than the host
 * has) or the platform's allow-lists and owners, 500 libvirt or host failures (logged; the others are the caller's to
 * read), 503 libvirtd unreachable while the agent reconnects (retry later).
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class); // the server's log, as before

    private ErrorResponses() {
    }

    static void register(Javalin app) {
        app.exception(AgentException.class, (e, ctx) -> {
            int status = statusOf(e.kind());
            if (status == 503) {
                LOG.warn("request refused method={} path={} reason={} message={}", ctx.method(), ctx.path(),
                        e.reason(), e.getMessage());
            } else if (status >= 500) {
                LOG.error("request failed method={} path={} reason={} message={}", ctx.method(), ctx.path(),
                        e.reason(), e.getMessage(), e.getCause());
            }
            ctx.status(status).json(e.toError());
        });
        app.exception(Requests.TooLarge.class, (e, ctx) -> ctx.status(413)
                .json(new AgentError(AgentErrorReasons.INVALID_REQUEST, e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request failed method={} path={}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new AgentError(AgentErrorReasons.LIBVIRT_ERROR, "internal error: " + e.getClass().getSimpleName()
                    + " (see the agent's log)"));
        });
    }

    static int statusOf(AgentException.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
        };
    }
}
