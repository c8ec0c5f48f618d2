package io.virtfleet.agent;

import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;

/**
 * A failure with a reason a person (and the operator) can act on. The {@link Kind} decides the HTTP status, the
 * reason and message become the {@link AgentError} body, so every layer reports failures the same way.
 */
public final class AgentException extends RuntimeException {

    /** What kind of failure this is; the HTTP layer maps each kind to one status code. */
    public enum Kind {
        INVALID_REQUEST, UNAUTHORIZED, NOT_FOUND, CONFLICT, INTERNAL,
        /** A dependency of the agent (libvirtd) is unreachable for now; the same request later may succeed. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String reason;

    public AgentException(Kind kind, String reason, String message) {
        this(kind, reason, message, null);
    }

    public AgentException(Kind kind, String reason, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reason = reason;
    }

    public static AgentException invalid(String message) {
        return new AgentException(Kind.INVALID_REQUEST, AgentErrorReasons.INVALID_REQUEST, message);
    }

    public static AgentException notFound(String reason, String message) {
        return new AgentException(Kind.NOT_FOUND, reason, message);
    }

    public static AgentException conflict(String reason, String message) {
        return new AgentException(Kind.CONFLICT, reason, message);
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    public AgentError toError() {
        return new AgentError(reason, getMessage());
    }
}
