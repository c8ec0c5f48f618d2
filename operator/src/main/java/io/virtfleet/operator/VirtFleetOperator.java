package io.virtfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.finalizer.AgentCleanup;
import io.virtfleet.operator.finalizer.DeletionBlock;
import io.virtfleet.operator.finalizer.FinalizerRelease;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.health.NodeReachability;
import io.virtfleet.operator.http.OperatorEndpoints;
import io.virtfleet.operator.image.CatalogImages;
import io.virtfleet.operator.image.VirtualMachineImageReconciler;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.policy.TenantGate;
import io.virtfleet.operator.policy.TenantPolicies;
import io.virtfleet.operator.rootvolume.RootVolumeReconciler;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.HostCapacities;
import io.virtfleet.operator.scheduling.NodeLabels;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.secrets.SecretValues;
import io.virtfleet.operator.secrets.SeedSecretsReader;
import io.virtfleet.operator.snapshot.VirtualMachineRestoreReconciler;
import io.virtfleet.operator.snapshot.VirtualMachineSnapshotReconciler;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.virtualmachine.VirtualMachineReconciler;
import io.virtfleet.operator.network.VirtualNetworkReconciler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The operator: both reconcilers on one Kubernetes client, the agent health probe, the scheduler, metrics and (when
 * a lease namespace is set) leader election on a Lease, so only one replica acts at a time.
 */
public final class VirtFleetOperator implements AutoCloseable {
    private final Operator operator;
    private final PrometheusMeterRegistry metrics;
    private final OperatorEndpoints endpoints;
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /**
     * Status is written with JSON merge patches rather than server-side apply: the operator is the only writer of
     * status, so SSA's field ownership buys nothing, and merge patches work on every API server (including the mock
     * one of the local stack, which answers SSA with 415).
     *
     * @param metrics the registry agent clients record into (shared, so the agent call latencies are served too)
     */
    public VirtFleetOperator(KubernetesClient client, AgentDirectory agents, NodeLabels labels,
                             OperatorSettings settings, PrometheusMeterRegistry metrics) {
        this.metrics = metrics;
        Clock clock = Clock.systemUTC();
        AgentHealth health = new AgentHealth(agents, settings.probeInterval(), settings.unreachableAfter(), clock);
        parts.push(health);
        ClusterCommitments commitments = new ClusterCommitments(client);
        parts.push(commitments);
        NodeScheduler scheduler = new NodeScheduler(agents, labels,
                new HostCapacities(agents, clock, Duration.ofSeconds(10)), commitments, health,
                settings.cpuOvercommit());
        TenantPolicies policies = new TenantPolicies(client);
        parts.push(policies);
        Conditions conditions = new Conditions(clock);
        EventRecorder events = new EventRecorder(client, clock);
        SecretValues secrets = new SecretValues(client);
        CatalogImages catalog = new CatalogImages(client, policies, client.getNamespace());
        parts.push(catalog);
        TenantGate gate = new TenantGate(policies, commitments, catalog);
        NodeReachability reachability = new NodeReachability(conditions, health, settings.probeInterval());
        AgentCleanup cleanup = new AgentCleanup(agents, health, events, new DeletionBlock(client, conditions, events),
                new FinalizerRelease(events, settings.releaseGrace(), clock), settings.probeInterval());
        operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics));
            if (settings.leaseNamespace() != null) {
                overrider.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(settings.leaseName())
                        .withLeaseNamespace(settings.leaseNamespace()).build());
            }
        });
        operator.register(new RootVolumeReconciler(agents, health, policies, gate, reachability, scheduler, secrets,
                catalog, conditions, events, new PhaseGauges<>(metrics, "virtfleet.rootvolumes",
                "RootVolumes by status.phase", RootVolumePhase.class), cleanup, clock, settings.recheckWhenSettled()));
        operator.register(new VirtualMachineReconciler(client, agents, health, policies, gate, reachability,
                scheduler, new SeedSecretsReader(secrets), conditions, events, new PhaseGauges<>(metrics,
                "virtfleet.virtualmachines", "VirtualMachines by status.phase", VirtualMachinePhase.class),
                cleanup, settings.recheckWhenSettled()));
        operator.register(new VirtualMachineSnapshotReconciler(agents, conditions, events, new PhaseGauges<>(metrics,
                "virtfleet.virtualmachinesnapshots", "VirtualMachineSnapshots by status.phase", SnapshotPhase.class),
                cleanup));
        operator.register(new VirtualMachineRestoreReconciler(agents, conditions, events, new PhaseGauges<>(metrics,
                "virtfleet.virtualmachinerestores", "VirtualMachineRestores by status.phase", SnapshotPhase.class),
                clock));
        operator.register(new VirtualNetworkReconciler(agents, labels, conditions,
                settings.recheckWhenSettled()));
        operator.register(new VirtualMachineImageReconciler(agents, labels, secrets, client.getNamespace(),
                conditions, VirtualMachineImageReconciler.RELIST));
        health.start();
        endpoints = OperatorEndpoints.start(metrics, settings.metricsPort(), settings.healthPort(),
                () -> operator.getRuntimeInfo().isStarted());
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public VirtFleetOperator start() {
        operator.start();
        return this;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Ports of the metrics and health endpoints, metrics first; empty when none are served. */
    public java.util.List<Integer> endpointPorts() {
        return endpoints.ports();
    }

    @Override
    public void close() {
        operator.stop();
        endpoints.close();
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                // stopping: nothing left to do about a part that fails to close
            }
        }
    }
}
