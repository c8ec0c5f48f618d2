package io.virtfleet.agent.contract;

/** Observed state of a domain ({@code GET /api/v1/domains/{name}}). */
public record DomainStatus(String name, String uuid, DomainPhase phase) {
}
