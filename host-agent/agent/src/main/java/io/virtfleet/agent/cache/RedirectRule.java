package io.virtfleet.agent.cache;

/**
 * Where an image request's redirects may lead, on top of the {@link SourcePolicy} every hop passes anyway. The
 * standalone provisioning call keeps every hop under its image prefixes; every other request has
 * {@link #SOURCE_POLICY_ONLY}. The URL the request names is checked where it enters the agent; this rule sees the hops
 * after it, in {@link HttpTransport}, the one place that follows redirects.
 */
@FunctionalInterface
public interface RedirectRule {
    /** No rule beyond the {@link SourcePolicy}. */
    RedirectRule SOURCE_POLICY_ONLY = target -> { };

    /** Refuses a redirect target (an {@link io.virtfleet.agent.AgentException}, e.g. {@code ImageSourceNotAllowed}). */
    void check(ImageUrl target);
}
