package io.virtfleet.operator.snapshot;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.agent.contract.SnapshotRequest;
import io.virtfleet.agent.contract.SnapshotStatus;
import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.SnapshotVolume;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshotStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.finalizer.AgentCleanup;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.status.ConditionStatus;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.OutcomeWriter;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;
import io.virtfleet.operator.status.StatusUpdates;
import io.virtfleet.operator.status.Steps;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Captures a VM's root volume on its node: find the VM and its Ready RootVolume, find the node's agent, capture, and
 * afterwards only check that the data is still there. Deletion removes the data from the node (finalizer).
 */
@ControllerConfiguration(name = "virtualmachinesnapshot")
public final class VirtualMachineSnapshotReconciler implements Reconciler<VirtualMachineSnapshot>,
        Cleaner<VirtualMachineSnapshot> {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    /** How often a captured snapshot is checked for its data on the node. */
    static final Duration RECHECK = Duration.ofMinutes(10);

    private final AgentDirectory agents;
    private final StatusUpdates<VirtualMachineSnapshot, VirtualMachineSnapshotStatus, SnapshotPhase> updates;
    private final AgentCleanup cleanup;

    public VirtualMachineSnapshotReconciler(AgentDirectory agents, Conditions conditions, EventRecorder events,
                                            PhaseGauges<SnapshotPhase> gauges, AgentCleanup cleanup) {
        this.agents = agents;
        this.updates = new StatusUpdates<>(new OutcomeWriter<>(conditions, VirtualMachineSnapshotStatus::getPhase,
                VirtualMachineSnapshotStatus::setPhase, SnapshotPhase.Pending), events,
                VirtualMachineSnapshotStatus::getPhase, SnapshotPhase.Failed, gauges,
                (object, phase) -> phase == SnapshotPhase.Succeeded);
        this.cleanup = cleanup;
    }

    @Override
    public UpdateControl<VirtualMachineSnapshot> reconcile(VirtualMachineSnapshot snapshot,
                                                           Context<VirtualMachineSnapshot> context) {
        VirtualMachineSnapshotStatus status = statusOf(snapshot);
        StatusChange change = StatusChange.from(status, status.getPhase());
        Outcome<SnapshotPhase> outcome = new Run(snapshot, status, context.getClient()).steps();
        status.setReadyToUse(outcome.ready() == ConditionStatus.True); // usable only while known to be captured
        return updates.conclude(snapshot, status, change, snapshot.getMetadata().getGeneration(), outcome,
                context);
    }

    @Override
    public ErrorStatusUpdateControl<VirtualMachineSnapshot> updateErrorStatus(VirtualMachineSnapshot snapshot,
            Context<VirtualMachineSnapshot> context, Exception e) {
        return updates.error(snapshot, statusOf(snapshot), snapshot.getMetadata().getGeneration(), e,
                context);
    }

    /** One reconcile of one snapshot. */
    private final class Run {
        private final VirtualMachineSnapshot snapshot;
        private final VirtualMachineSnapshotStatus status;
        private final KubernetesClient client;
        private SourceObjects.Source source;
        private AgentClient agent;

        Run(VirtualMachineSnapshot snapshot, VirtualMachineSnapshotStatus status, KubernetesClient client) {
            this.snapshot = snapshot;
            this.status = status;
            this.client = client;
        }

        Outcome<SnapshotPhase> steps() {
            try {
                return Steps.run(this::checkCaptured, this::findSource, this::findAgent, this::capture);
            } catch (AgentCallException e) {
                if (e.unreachable()) {
                    return Outcome.unknown(Reason.NODE_UNREACHABLE, e.getMessage(), RETRY_AFTER_FAILURE);
                }
                return Outcome.notReady(SnapshotPhase.Failed, e.error().reason(), e.error().message(),
                        RETRY_AFTER_FAILURE);
            }
        }

        /** A captured snapshot is never captured again: its data on the node is only checked. */
        private Optional<Outcome<SnapshotPhase>> checkCaptured() throws AgentCallException {
            if (status.getPhase() != SnapshotPhase.Succeeded || status.getNodeName() == null) {
                return Optional.empty();
            }
            Optional<AgentClient> onNode = agents.forNode(status.getNodeName());
            if (onNode.isEmpty()) {
                return Optional.of(Outcome.unknown(Reason.NODE_UNREACHABLE, "no host agent is known for node "
                        + status.getNodeName(), RETRY_AFTER_FAILURE));
            }
            return Optional.of(onNode.get().getSnapshot(AgentNames.of(snapshot)).isPresent()
                    ? captured(status.getNodeName())
                    : Outcome.notReady(SnapshotPhase.Failed, Reason.SNAPSHOT_DATA_LOST, "the snapshot's data is gone"
                            + " from node " + status.getNodeName() + "; delete this snapshot and take another", RECHECK));
        }

        private Optional<Outcome<SnapshotPhase>> findSource() {
            SourceObjects.Result found = SourceObjects.source(client, snapshot.getMetadata().getNamespace(),
                    snapshot.getSpec().getSource().getName());
            source = found.source().orElse(null);
            return found.waiting();
        }

        private Optional<Outcome<SnapshotPhase>> findAgent() {
            agent = agents.forNode(source.node()).orElse(null);
            return agent != null ? Optional.empty() : Optional.of(Outcome.unknown(Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + source.node(), RETRY_AFTER_FAILURE));
        }

        /** Crash-consistent: the agent pauses a running guest for the copy (dir pools) or LVM snapshots atomically. */
        private Optional<Outcome<SnapshotPhase>> capture() throws AgentCallException {
            SnapshotStatus taken = agent.putSnapshot(AgentNames.of(snapshot), new SnapshotRequest(
                    AgentNames.of(source.volume()), source.volume().getMetadata().getUid(),
                    snapshot.getMetadata().getUid()));
            SnapshotVolume volume = new SnapshotVolume();
            volume.setRootVolume(source.volume().getMetadata().getName());
            volume.setSizeBytes(taken.sizeBytes());
            volume.setCreationTime(taken.createdAt());
            volume.setMethod(taken.method());
            status.setVolumes(List.of(volume));
            status.setNodeName(source.node());
            return Optional.of(captured(source.node()));
        }
    }

    private static Outcome<SnapshotPhase> captured(String node) {
        return Outcome.ready(SnapshotPhase.Succeeded, Reason.SNAPSHOT_READY, "captured on node " + node
                + " (crash-consistent)", RECHECK);
    }

    private static VirtualMachineSnapshotStatus statusOf(VirtualMachineSnapshot snapshot) {
        if (snapshot.getStatus() == null) {
            snapshot.setStatus(new VirtualMachineSnapshotStatus());
        }
        return snapshot.getStatus();
    }

    @Override
    public DeleteControl cleanup(VirtualMachineSnapshot snapshot, Context<VirtualMachineSnapshot> context) {
        String node = snapshot.getStatus() == null ? null : snapshot.getStatus().getNodeName();
        String name = AgentNames.of(snapshot);
        DeleteControl control = cleanup.remove(snapshot, node, new AgentCleanup.Counterpart("the snapshot's data",
                (agent, agentName, uid) -> {
                    agent.deleteSnapshot(agentName, uid);
                    return true;
                }, "snapshot " + name + " (storage volume " + name + "_snapshot)", Duration.ofSeconds(2)));
        if (control.isRemoveFinalizer()) {
            updates.forget(snapshot);
        }
        return control;
    }
}
