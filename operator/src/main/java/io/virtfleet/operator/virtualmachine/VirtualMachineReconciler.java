package io.virtfleet.operator.virtualmachine;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.AgentNames;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentCleanup;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.rootvolume.RootVolumeSpecCheck.Problem;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a VirtualMachine a libvirt domain on the node of its root volume. Steps: check the spec, wait for the root
 * volume to be Ready (a RootVolume change triggers a reconcile), state the desired domain to the node's agent,
 * mirror what the agent reports.
 */
@ControllerConfiguration(name = "virtualmachine")
public final class VirtualMachineReconciler implements Reconciler<VirtualMachine>, Cleaner<VirtualMachine> {
    static final Duration POLL_WHILE_CHANGING = Duration.ofSeconds(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    static final Duration RECHECK_WHEN_SETTLED = Duration.ofMinutes(5);

    private final AgentDirectory agents;
    private final Conditions conditions;
    private final EventRecorder events;
    private final AgentCleanup cleanup;

    public VirtualMachineReconciler(AgentDirectory agents, Conditions conditions, EventRecorder events) {
        this.agents = agents;
        this.conditions = conditions;
        this.events = events;
        this.cleanup = new AgentCleanup(agents, events, RETRY_AFTER_FAILURE);
    }

    @Override
    public List<EventSource<?, VirtualMachine>> prepareEventSources(EventSourceContext<VirtualMachine> context) {
        var configuration = InformerEventSourceConfiguration.from(RootVolume.class, VirtualMachine.class)
                .withPrimaryToSecondaryMapper((VirtualMachine vm) -> rootVolumeName(vm)
                        .map(name -> Set.of(new ResourceID(name, vm.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .withSecondaryToPrimaryMapper(volume -> context.getPrimaryCache()
                        .list(volume.getMetadata().getNamespace(),
                                vm -> rootVolumeName(vm).filter(volume.getMetadata().getName()::equals).isPresent())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return List.of(new InformerEventSource<>(configuration, context));
    }

    @Override
    public UpdateControl<VirtualMachine> reconcile(VirtualMachine vm, Context<VirtualMachine> context) {
        if (vm.getStatus() == null) {
            vm.setStatus(new VirtualMachineStatus());
        }
        VirtualMachineStatus status = vm.getStatus();
        StatusChange change = StatusChange.from(status, status.getPhase());
        Duration next = reconcileSteps(vm, status, context.getSecondaryResource(RootVolume.class));
        change.announce(events, vm, status, status.getPhase(), status.getPhase() == VirtualMachinePhase.Failed);
        UpdateControl<VirtualMachine> control = change.changed(status)
                ? UpdateControl.patchStatus(vm)
                : UpdateControl.noUpdate();
        return control.rescheduleAfter(next);
    }

    private Duration reconcileSteps(VirtualMachine vm, VirtualMachineStatus status, Optional<RootVolume> rootVolume) {
        long generation = vm.getMetadata().getGeneration();
        Optional<Problem> problem = VirtualMachineSpecCheck.check(vm.getSpec());
        if (problem.isPresent()) {
            return notReady(status, generation, VirtualMachinePhase.Failed, problem.get().reason(),
                    problem.get().message(), RECHECK_WHEN_SETTLED);
        }
        String volumeName = vm.getSpec().getRootVolume().getName();
        if (rootVolume.isEmpty()) {
            conditions.set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_FOUND,
                    "RootVolume " + volumeName + " does not exist in namespace " + vm.getMetadata().getNamespace());
            return notReady(status, generation, VirtualMachinePhase.Pending, Reason.ROOT_VOLUME_NOT_FOUND,
                    "waiting for RootVolume " + volumeName, RETRY_AFTER_FAILURE);
        }
        if (!isReady(rootVolume.get())) {
            String why = Conditions.find(rootVolume.get().getStatus(), ConditionType.Ready)
                    .map(c -> c.getReason() + ": " + c.getMessage()).orElse("not reconciled yet");
            conditions.set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_READY,
                    "RootVolume " + volumeName + " is not Ready (" + why + ")");
            // The RootVolume informer wakes this reconcile when the volume changes; the delay is only a safety net.
            return notReady(status, generation, VirtualMachinePhase.Provisioning, Reason.ROOT_VOLUME_NOT_READY,
                    "waiting for RootVolume " + volumeName, RETRY_AFTER_FAILURE);
        }
        String node = rootVolume.get().getStatus().getNodeName();
        conditions.set(status, generation, ConditionType.VolumeReady, true, Reason.VOLUME_READY,
                "RootVolume " + volumeName + " is Ready on node " + node);
        String pinned = vm.getSpec().getNodeName();
        if (pinned != null && !pinned.equals(node)) {
            return notReady(status, generation, VirtualMachinePhase.Failed, Reason.NODE_MISMATCH, "spec.nodeName is "
                    + pinned + " but RootVolume " + volumeName + " lives on node " + node, RECHECK_WHEN_SETTLED);
        }
        status.setNodeName(node);
        conditions.set(status, generation, ConditionType.Scheduled, true, Reason.NODE_PINNED,
                "runs on node " + node + ", where its root volume is");
        Optional<AgentClient> agent = agents.forNode(node);
        if (agent.isEmpty()) {
            return notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + node, RETRY_AFTER_FAILURE);
        }
        boolean wantRunning = vm.getSpec().getRunStrategy() != RunStrategy.Halted;
        DomainRequest desired = new DomainRequest(vm.getSpec().getVcpus(),
                VirtualMachineSpecCheck.memoryBytes(vm.getSpec()).longValueExact(),
                AgentNames.of(vm.getMetadata().getNamespace(), volumeName), wantRunning);
        try {
            return mirror(status, generation, agent.get().putDomain(AgentNames.of(vm), desired), wantRunning);
        } catch (AgentCallException e) {
            if (e.unreachable()) {
                return notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE, e.getMessage(),
                        RETRY_AFTER_FAILURE);
            }
            return notReady(status, generation, VirtualMachinePhase.Failed, e.error().reason(), e.error().message(),
                    RETRY_AFTER_FAILURE);
        }
    }

    private Duration mirror(VirtualMachineStatus status, long generation, DomainStatus observed, boolean wantRunning) {
        status.setDomainUUID(observed.uuid());
        conditions.set(status, generation, ConditionType.DomainDefined, true, Reason.DOMAIN_DEFINED,
                "domain " + observed.name() + " is defined");
        boolean running = observed.phase() == DomainPhase.Running;
        conditions.set(status, generation, ConditionType.Running, running,
                running ? Reason.DOMAIN_RUNNING : Reason.DOMAIN_STOPPED, "the domain is " + observed.phase());
        if (running == wantRunning) {
            status.setPhase(running ? VirtualMachinePhase.Running : VirtualMachinePhase.Stopped);
            conditions.set(status, generation, ConditionType.Ready, true,
                    running ? Reason.DOMAIN_RUNNING : Reason.DOMAIN_STOPPED,
                    running ? "the VM is running" : "the VM is stopped, as runStrategy Halted asks");
            return RECHECK_WHEN_SETTLED;
        }
        return notReady(status, generation, VirtualMachinePhase.Starting, wantRunning ? Reason.STARTING : Reason.STOPPING,
                "the domain is " + observed.phase() + "; waiting for it to be " + (wantRunning ? "running" : "stopped"),
                POLL_WHILE_CHANGING);
    }

    private Duration notReady(VirtualMachineStatus status, long generation, VirtualMachinePhase phase, String reason,
                              String message, Duration next) {
        status.setPhase(phase == null ? VirtualMachinePhase.Pending : phase);
        conditions.set(status, generation, ConditionType.Ready, false, reason, message);
        return next;
    }

    private static boolean isReady(RootVolume volume) {
        return volume.getStatus() != null && volume.getStatus().getPhase() == RootVolumePhase.Ready
                && Conditions.isTrue(volume.getStatus(), ConditionType.Ready);
    }

    private static Optional<String> rootVolumeName(VirtualMachine vm) {
        return Optional.ofNullable(vm.getSpec()).map(s -> s.getRootVolume()).map(r -> r.getName());
    }

    @Override
    public DeleteControl cleanup(VirtualMachine vm, Context<VirtualMachine> context) {
        return cleanup.remove(vm, vm.getStatus() == null ? null : vm.getStatus().getNodeName(), "the domain",
                AgentClient::deleteDomain);
    }
}
