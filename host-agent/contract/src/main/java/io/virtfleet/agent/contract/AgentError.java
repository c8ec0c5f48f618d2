package io.virtfleet.agent.contract;

/**
 * A failure the agent reports, as the body of a 4xx/5xx answer or inside a status.
 *
 * @param reason  a stable CamelCase word from {@link AgentErrorReasons}, fit for a Kubernetes condition reason
 * @param message what happened, for a person
 */
public record AgentError(String reason, String message) {
}
