package io.virtfleet.operator;

import java.time.Duration;

/**
 * The operator's tunables. Defaults suit a cluster; tests shorten the health timings so that an unreachable node is
 * reported in seconds.
 *
 * @param probeInterval       how often each agent's /healthz is probed
 * @param unreachableAfter    how long an agent may fail probes before its objects get {@code NodeUnreachable}
 * @param recheckWhenSettled  how often a settled object is compared with its node (drift detection); with the probe
 *                            this bounds the idle agent calls per object
 * @param cpuOvercommit       vCPUs the scheduler places per host CPU
 * @param leaseNamespace      namespace of the leader-election Lease; null runs without leader election
 * @param leaseName           name of that Lease
 * @param metricsPort         port of the Prometheus endpoint ({@code /metrics}); 0 picks a free port, negative: none
 * @param healthPort          port of {@code /healthz} and {@code /readyz}; may equal metricsPort; negative: none
 * @param releaseGrace        how long a node must have been unreachable before the annotation
 *                            {@code virtfleet.io/release-finalizer} releases a deleted object bound to it
 */
public record OperatorSettings(Duration probeInterval, Duration unreachableAfter, Duration recheckWhenSettled,
                               double cpuOvercommit, String leaseNamespace, String leaseName, int metricsPort,
                               int healthPort, Duration releaseGrace) {
    public static final String DEFAULT_LEASE_NAME = "virtfleet-operator";

    public static OperatorSettings defaults() {
        return new OperatorSettings(Duration.ofSeconds(15), Duration.ofSeconds(40), Duration.ofMinutes(30), 16.0,
                null, DEFAULT_LEASE_NAME, -1, -1, Duration.ofMinutes(10));
    }

    public OperatorSettings withHealth(Duration probe, Duration unreachable) {
        return new OperatorSettings(probe, unreachable, recheckWhenSettled, cpuOvercommit, leaseNamespace, leaseName,
                metricsPort, healthPort, releaseGrace);
    }

    public OperatorSettings withRecheckWhenSettled(Duration recheck) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheck, cpuOvercommit, leaseNamespace, leaseName,
                metricsPort, healthPort, releaseGrace);
    }

    public OperatorSettings withLeaderElection(String namespace, String name) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheckWhenSettled, cpuOvercommit, namespace,
                name, metricsPort, healthPort, releaseGrace);
    }

    public OperatorSettings withEndpoints(int metrics, int health) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheckWhenSettled, cpuOvercommit, leaseNamespace,
                leaseName, metrics, health, releaseGrace);
    }

    public OperatorSettings withReleaseGrace(Duration grace) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheckWhenSettled, cpuOvercommit, leaseNamespace,
                leaseName, metricsPort, healthPort, grace);
    }
}
