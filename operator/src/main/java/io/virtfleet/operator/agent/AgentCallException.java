package io.virtfleet.operator.agent;

import io.virtfleet.agent.contract.AgentError;

/**
 * An agent call that did not succeed: either the agent answered with an error ({@link #error()} set), or it could
 * not be reached at all ({@link #unreachable()}).
 */
public final class AgentCallException extends Exception {
    private final String nodeName;
    private final int statusCode;
    private final AgentError error;

    private AgentCallException(String nodeName, int statusCode, AgentError error, String message, Throwable cause) {
        super(message, cause);
        this.nodeName = nodeName;
        this.statusCode = statusCode;
        this.error = error;
    }

    static AgentCallException answered(String nodeName, int statusCode, AgentError error) {
        return new AgentCallException(nodeName, statusCode, error,
                "agent on node " + nodeName + " answered " + statusCode + " " + error.reason() + ": " + error.message(),
                null);
    }

    static AgentCallException unreachable(String nodeName, Throwable cause) {
        return new AgentCallException(nodeName, 0, null,
                "agent on node " + nodeName + " is unreachable: " + cause.getMessage(), cause);
    }

    public String nodeName() {
        return nodeName;
    }

    public boolean unreachable() {
        return error == null;
    }

    public int statusCode() {
        return statusCode;
    }

    /** The agent's error, or null when the agent could not be reached. */
    public AgentError error() {
        return error;
    }
}
