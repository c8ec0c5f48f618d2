package io.virtfleet.helm.argocd;

/** What an Argo CD health check returns: a status (Healthy, Progressing, Degraded, Suspended, ...) and a message. */
public record HealthStatus(String status, String message) {
}
