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
 */
public record OperatorSettings(Duration probeInterval, Duration unreachableAfter, Duration recheckWhenSettled,
                               double cpuOvercommit, String leaseNamespace, String leaseName, int metricsPort,
                               int healthPort) {
    public static final String DEFAULT_LEASE_NAME = "virtfleet-operator";

    public static OperatorSettings defaults() {
        return new OperatorSettings(Duration.ofSeconds(15), Duration.ofSeconds(40), Duration.ofMinutes(30), 16.0,
                null, DEFAULT_LEASE_NAME, -1, -1);
    }

    public OperatorSettings withHealth(Duration probe, Duration unreachable) {
        return new OperatorSettings(probe, unreachable, recheckWhenSettled, cpuOvercommit, leaseNamespace, leaseName,
                metricsPort, healthPort);
    }

    public OperatorSettings withRecheckWhenSettled(Duration recheck) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheck, cpuOvercommit, leaseNamespace, leaseName,
                metricsPort, healthPort);
    }

    public OperatorSettings withLeaderElection(String namespace, String name) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheckWhenSettled, cpuOvercommit, namespace,
                name, metricsPort, healthPort);
    }

    public OperatorSettings withEndpoints(int metrics, int health) {
        return new OperatorSettings(probeInterval, unreachableAfter, recheckWhenSettled, cpuOvercommit, leaseNamespace,
                leaseName, metrics, health);
    }
}
