package io.virtfleet.operator.snapshot;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.RestoreRequest;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.SnapshotPhase;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestore;
import io.virtfleet.crds.v1alpha1.VirtualMachineRestoreStatus;
import io.virtfleet.crds.v1alpha1.VirtualMachineSnapshot;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.OutcomeWriter;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;
import io.virtfleet.operator.status.StatusUpdates;
import io.virtfleet.operator.status.Steps;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Puts a snapshot's content back into its VM's root volume, once: find the snapshot (captured, of this VM), check
 * the VM is stopped (runStrategy Halted, phase Stopped; the agent checks again that no running domain uses the
 * volume), find the node's agent, restore, mark complete. A restore that completed is never carried out again.
 */
@ControllerConfiguration(name = "virtualmachinerestore")
public final class VirtualMachineRestoreReconciler implements Reconciler<VirtualMachineRestore> {
    /** A finished or failed restore only needs a look now and then (its status is kept current). */
    private static final Duration SETTLED = Duration.ofMinutes(10);
    private final AgentDirectory agents;
    private final StatusUpdates<VirtualMachineRestore, VirtualMachineRestoreStatus, SnapshotPhase> updates;
    private final Clock clock;

    public VirtualMachineRestoreReconciler(AgentDirectory agents, Conditions conditions, EventRecorder events,
                                           PhaseGauges<SnapshotPhase> gauges, Clock clock) {
        this.agents = agents;
        this.updates = new StatusUpdates<>(new OutcomeWriter<>(conditions, VirtualMachineRestoreStatus::getPhase,
                VirtualMachineRestoreStatus::setPhase, SnapshotPhase.Pending), events,
                VirtualMachineRestoreStatus::getPhase, SnapshotPhase.Failed, gauges,
                (object, phase) -> phase == SnapshotPhase.Succeeded);
        this.clock = clock;
    }

    @Override
    public UpdateControl<VirtualMachineRestore> reconcile(VirtualMachineRestore restore,
                                                          Context<VirtualMachineRestore> context) {
        VirtualMachineRestoreStatus status = statusOf(restore);
        StatusChange change = StatusChange.from(status, status.getPhase());
        Outcome<SnapshotPhase> outcome = new Run(restore, status, context.getClient()).steps();
        return updates.conclude(restore, status, change, restore.getMetadata().getGeneration(), outcome,
                context);
    }

    @Override
    public ErrorStatusUpdateControl<VirtualMachineRestore> updateErrorStatus(VirtualMachineRestore restore,
            Context<VirtualMachineRestore> context, Exception e) {
        return updates.error(restore, statusOf(restore), restore.getMetadata().getGeneration(), e, context);
    }

    /** One reconcile of one restore. */
    private final class Run {
        private final VirtualMachineRestore restore;
        private final VirtualMachineRestoreStatus status;
        private final KubernetesClient client;
        private final String namespace;
        private VirtualMachineSnapshot snapshot;
        private SourceObjects.Source target;
        private AgentClient agent;

        Run(VirtualMachineRestore restore, VirtualMachineRestoreStatus status, KubernetesClient client) {
            this.restore = restore;
            this.status = status;
            this.client = client;
            this.namespace = restore.getMetadata().getNamespace();
        }

        Outcome<SnapshotPhase> steps() {
            try {
                return Steps.run(this::checkDone, this::findSnapshot, this::checkStopped, this::findTarget,
                        this::findAgent, this::restore);
            } catch (AgentCallException e) {
                if (e.unreachable()) {
                    return Outcome.unknown(Reason.NODE_UNREACHABLE, e.getMessage(), SourceObjects.WAIT);
                }
                if (AgentErrorReasons.VOLUME_IN_USE.equals(e.error().reason())) {
                    return notStopped(e.error().message());
                }
                return Outcome.notReady(SnapshotPhase.Failed, e.error().reason(), e.error().message(),
                        VirtualMachineSnapshotReconciler.RETRY_AFTER_FAILURE);
            }
        }

        private Optional<Outcome<SnapshotPhase>> checkDone() {
            return Boolean.TRUE.equals(status.getComplete()) ? Optional.of(restored()) : Optional.empty();
        }

        private Optional<Outcome<SnapshotPhase>> findSnapshot() {
            String name = restore.getSpec().getVirtualMachineSnapshotName();
            snapshot = client.resources(VirtualMachineSnapshot.class).inNamespace(namespace).withName(name).get();
            if (snapshot == null || snapshot.getStatus() == null
                    || !Boolean.TRUE.equals(snapshot.getStatus().getReadyToUse())) {
                return Optional.of(Outcome.notReady(SnapshotPhase.Pending, Reason.SNAPSHOT_NOT_READY,
                        "VirtualMachineSnapshot " + name + (snapshot == null ? " does not exist" : " is not readyToUse")
                                + " in namespace " + namespace, SourceObjects.WAIT));
            }
            String vm = restore.getSpec().getTarget().getName();
            if (!snapshot.getSpec().getSource().getName().equals(vm)) {
                return Optional.of(Outcome.notReady(SnapshotPhase.Failed, Reason.SNAPSHOT_OF_ANOTHER_VM,
                        "VirtualMachineSnapshot " + name + " is of VirtualMachine " + snapshot.getSpec().getSource()
                                .getName() + ", not " + vm + "; restore it into its own VM, or clone it", SETTLED));
            }
            return Optional.empty();
        }

        /** Refused, nothing changed, while the VM may run: it must be Halted and its domain off. */
        private Optional<Outcome<SnapshotPhase>> checkStopped() {
            String name = restore.getSpec().getTarget().getName();
            VirtualMachine vm = client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
            if (vm == null) {
                return Optional.of(Outcome.notReady(SnapshotPhase.Pending, Reason.VIRTUAL_MACHINE_NOT_FOUND,
                        "VirtualMachine " + name + " does not exist in namespace " + namespace, SourceObjects.WAIT));
            }
            RunStrategy strategy = vm.getSpec().getRunStrategy() == null ? RunStrategy.Always
                    : vm.getSpec().getRunStrategy();
            boolean halted = strategy == RunStrategy.Halted;
            boolean stopped = vm.getStatus() != null && vm.getStatus().getPhase() == VirtualMachinePhase.Stopped;
            if (!halted || !stopped) {
                return Optional.of(notStopped("VirtualMachine " + name + " has runStrategy " + strategy + " and phase "
                        + (vm.getStatus() == null ? null : vm.getStatus().getPhase())));
            }
            return Optional.empty();
        }

        private Optional<Outcome<SnapshotPhase>> findTarget() {
            SourceObjects.Result found = SourceObjects.source(client, namespace, restore.getSpec().getTarget().getName());
            target = found.source().orElse(null);
            if (found.waiting().isPresent()) {
                return found.waiting();
            }
            if (!target.node().equals(snapshot.getStatus().getNodeName())) {
                return Optional.of(Outcome.notReady(SnapshotPhase.Failed, Reason.NODE_MISMATCH, "the snapshot is on node "
                        + snapshot.getStatus().getNodeName() + ", the VM's volume on " + target.node(), SETTLED));
            }
            return Optional.empty();
        }

        private Optional<Outcome<SnapshotPhase>> findAgent() {
            agent = agents.forNode(target.node()).orElse(null);
            return agent != null ? Optional.empty() : Optional.of(Outcome.unknown(Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + target.node(), SourceObjects.WAIT));
        }

        private Optional<Outcome<SnapshotPhase>> restore() throws AgentCallException {
            agent.restoreVolume(AgentNames.of(target.volume()), new RestoreRequest(AgentNames.of(snapshot),
                    target.volume().getMetadata().getUid(), snapshot.getMetadata().getUid()));
            status.setComplete(true);
            status.setRestoreTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            return Optional.of(restored());
        }
    }

    private static Outcome<SnapshotPhase> restored() {
        return Outcome.ready(SnapshotPhase.Succeeded, Reason.RESTORED, "the VM's root volume holds the snapshot's"
                + " content; start the VM to boot from it", SETTLED);
    }

    private static Outcome<SnapshotPhase> notStopped(String why) {
        return Outcome.notReady(SnapshotPhase.Pending, Reason.VIRTUAL_MACHINE_NOT_STOPPED, why + "; a restore needs"
                + " spec.runStrategy Halted and phase Stopped. Nothing was changed; the restore runs once the VM is"
                + " stopped", SourceObjects.WAIT);
    }

    private static VirtualMachineRestoreStatus statusOf(VirtualMachineRestore restore) {
        if (restore.getStatus() == null) {
            restore.setStatus(new VirtualMachineRestoreStatus());
        }
        return restore.getStatus();
    }
}
