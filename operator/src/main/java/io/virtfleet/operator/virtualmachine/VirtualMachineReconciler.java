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
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.AgentNames;
import io.virtfleet.operator.Collaborators;
import io.virtfleet.operator.Quantities;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentCleanup;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.health.NodeEventSource;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.Demand;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.spec.SecretValues.MissingSecret;
import io.virtfleet.operator.spec.SecretValues.SecretNotOptedIn;
import io.virtfleet.operator.policy.PolicyEventSource;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.NodeReachability;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a VirtualMachine a libvirt domain on the node of its root volume. Steps: check the spec; place the VM and
 * create its owned root volume (template) or find the named one; reprovision when the token changed (stop, fresh
 * volume, new seed); wait for the volume; read the seed's Secrets; state the desired domain; mirror the agent's view.
 */
@ControllerConfiguration(name = "virtualmachine")
public final class VirtualMachineReconciler implements Reconciler<VirtualMachine>, Cleaner<VirtualMachine> {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

    private final Collaborators with;
    private final AgentCleanup cleanup;
    private final OwnedRootVolumes owned;
    private final DomainStatusMirror mirror;
    private final SeedSecretsReader seedSecrets;

    public VirtualMachineReconciler(Collaborators with) {
        this.with = with;
        this.cleanup = new AgentCleanup(with.agents(), with.events(), RETRY_AFTER_FAILURE);
        this.owned = new OwnedRootVolumes(with.client());
        this.mirror = new DomainStatusMirror(with.conditions(), with.settings().recheckWhenSettled());
        this.seedSecrets = new SeedSecretsReader(with.secrets());
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
        return List.of(new InformerEventSource<>(configuration, context), new NodeEventSource<>(with.health(),
                context.getPrimaryCache(), vm -> vm.getStatus() == null ? null : vm.getStatus().getNodeName()),
                new PolicyEventSource<>(with.policies(), context.getPrimaryCache()));
    }

    @Override
    public UpdateControl<VirtualMachine> reconcile(VirtualMachine vm, Context<VirtualMachine> context) {
        if (vm.getStatus() == null) {
            vm.setStatus(new VirtualMachineStatus());
        }
        VirtualMachineStatus status = vm.getStatus();
        StatusChange change = StatusChange.from(status, status.getPhase());
        Duration next;
        try {
            next = reconcileSteps(vm, status, context.getSecondaryResource(RootVolume.class));
        } catch (AgentCallException e) {
            next = e.unreachable()
                    ? mirror.notReady(status, generation(vm), status.getPhase(), Reason.NODE_UNREACHABLE,
                    e.getMessage(), with.settings().probeInterval())
                    : mirror.notReady(status, generation(vm), VirtualMachinePhase.Failed, e.error().reason(),
                    e.error().message(), RETRY_AFTER_FAILURE);
        }
        change.announce(with.events(), vm, status, status.getPhase(),
                status.getPhase() == VirtualMachinePhase.Failed || Reason.isRefusal(status));
        UpdateControl<VirtualMachine> control = change.changed(status)
                ? UpdateControl.patchStatus(vm)
                : UpdateControl.noUpdate();
        return control.rescheduleAfter(next);
    }

    private Duration reconcileSteps(VirtualMachine vm, VirtualMachineStatus status, Optional<RootVolume> rootVolume)
            throws AgentCallException {
        long generation = generation(vm);
        VirtualMachineSpec spec = vm.getSpec();
        Optional<Problem> problem = VirtualMachineSpecCheck.check(vm.getMetadata().getName(), spec);
        if (problem.isPresent()) {
            return mirror.notReady(status, generation, VirtualMachinePhase.Failed, problem.get().reason(),
                    problem.get().message(), with.settings().recheckWhenSettled());
        }
        boolean template = spec.getRootVolume().getTemplate() != null;
        Optional<Problem> refused = (template ? OwnedRootVolumes.foreign(vm, rootVolume) : Optional.<Problem>empty())
                .or(() -> with.gate().admit(vm));
        if (refused.isPresent()) {
            // Before placement and before any agent call: a refused VM takes nothing on a host.
            VirtualMachinePhase phase = refused.get().reason().equals(Reason.QUOTA_EXCEEDED)
                    ? VirtualMachinePhase.Pending : VirtualMachinePhase.Failed;
            return mirror.notReady(status, generation, phase, refused.get().reason(), refused.get().message(),
                    RETRY_AFTER_FAILURE);
        }
        if (NodeReachability.mark(with.conditions(), with.health(), status, generation, status.getNodeName())) {
            return with.settings().probeInterval();
        }
        DomainRequestMapper.SeedSecrets secrets;
        try {
            secrets = seedSecrets.read(vm);
        } catch (MissingSecret e) {
            return mirror.notReady(status, generation, VirtualMachinePhase.Pending, Reason.SECRET_NOT_FOUND,
                    e.getMessage(), RETRY_AFTER_FAILURE);
        } catch (SecretNotOptedIn e) {
            return mirror.notReady(status, generation, VirtualMachinePhase.Failed, Reason.SECRET_NOT_OPTED_IN,
                    e.getMessage(), RETRY_AFTER_FAILURE);
        } catch (SeedSecretsReader.InvalidSecret e) {
            return mirror.notReady(status, generation, VirtualMachinePhase.Failed, Reason.INVALID_SPEC,
                    e.getMessage(), RETRY_AFTER_FAILURE);
        }
        if (template) {
            Placed placed = placeWithOwnedVolume(vm, status, rootVolume);
            if (placed.waiting().isPresent()) {
                return placed.waiting().get();
            }
            rootVolume = placed.volume();
        }
        String volumeName = rootVolumeName(vm).orElseThrow();
        if (rootVolume.isEmpty()) {
            with.conditions().set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_FOUND,
                    "RootVolume " + volumeName + " does not exist in namespace " + vm.getMetadata().getNamespace());
            return mirror.notReady(status, generation, VirtualMachinePhase.Pending, Reason.ROOT_VOLUME_NOT_FOUND,
                    "waiting for RootVolume " + volumeName, template ? Duration.ofSeconds(2) : RETRY_AFTER_FAILURE);
        }
        RootVolume volume = rootVolume.get();
        String token = template ? spec.getReprovisionToken() : volume.getSpec().getReprovisionToken();
        boolean reprovisioning = status.getInstanceId() != null && !Objects.equals(status.getProvisionedToken(), token);
        if (reprovisioning) {
            Optional<Duration> waiting = reprovision(vm, status, volume, token, template, secrets);
            if (waiting.isPresent()) {
                return waiting.get();
            }
        }
        if (!isReady(volume)) {
            String why = Conditions.find(volume.getStatus(), ConditionType.Ready)
                    .map(c -> c.getReason() + ": " + c.getMessage()).orElse("not reconciled yet");
            with.conditions().set(status, generation, ConditionType.VolumeReady, false, Reason.ROOT_VOLUME_NOT_READY,
                    "RootVolume " + volumeName + " is not Ready (" + why + ")");
            // The RootVolume informer wakes this reconcile when the volume changes; the delay is only a safety net.
            return mirror.notReady(status, generation, VirtualMachinePhase.Provisioning, Reason.ROOT_VOLUME_NOT_READY,
                    "waiting for RootVolume " + volumeName, RETRY_AFTER_FAILURE);
        }
        String node = volume.getStatus().getNodeName();
        with.conditions().set(status, generation, ConditionType.VolumeReady, true, Reason.VOLUME_READY,
                "RootVolume " + volumeName + " is Ready on node " + node);
        if (spec.getNodeName() != null && !spec.getNodeName().equals(node)) {
            return mirror.notReady(status, generation, VirtualMachinePhase.Failed, Reason.NODE_MISMATCH,
                    "spec.nodeName is " + spec.getNodeName() + " but RootVolume " + volumeName + " lives on node "
                            + node, with.settings().recheckWhenSettled());
        }
        if (!template) {
            status.setNodeName(node);
            with.conditions().set(status, generation, ConditionType.Scheduled, true, Reason.BOUND,
                    "runs on node " + node + ", where its root volume is");
        }
        Optional<AgentClient> agent = with.agents().forNode(node);
        if (agent.isEmpty()) {
            return mirror.notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + node, RETRY_AFTER_FAILURE);
        }
        status.setProvisionedToken(token);
        status.setInstanceId(DomainRequestMapper.instanceId(vm.getMetadata().getUid(), token));
        String domainName = AgentNames.of(vm);
        boolean wantRunning = wantRunning(agent.get(), domainName, spec);
        DomainRequest desired = DomainRequestMapper.map(vm.getMetadata().getName(), vm.getMetadata().getUid(), spec,
                AgentNames.of(vm.getMetadata().getNamespace(), volumeName), wantRunning, status.getInstanceId(), secrets);
        return mirror.mirror(status, generation, spec, agent.get().putDomain(domainName, desired), wantRunning);
    }

    /** The owned root volume once the VM is placed, or how long to wait before trying again. */
    private record Placed(Optional<Duration> waiting, Optional<RootVolume> volume) {
        static Placed waiting(Duration next) {
            return new Placed(Optional.of(next), Optional.empty());
        }
    }

    /** Places the VM (memory, vCPUs, volume and data disks, cache affinity) and creates its owned root volume there. */
    private Placed placeWithOwnedVolume(VirtualMachine vm, VirtualMachineStatus status,
                                        Optional<RootVolume> rootVolume) {
        long generation = generation(vm);
        VirtualMachineSpec spec = vm.getSpec();
        NodeScheduler.Placement placement = with.scheduler().place(key(vm), status.getNodeName(),
                spec.getNodeName(), spec.getNodeSelector(), demand(spec));
        if (placement.nodeName().isEmpty()) {
            with.conditions().set(status, generation, ConditionType.Scheduled, false, placement.reason(),
                    placement.message());
            return Placed.waiting(mirror.notReady(status, generation, VirtualMachinePhase.Pending,
                    placement.reason(), placement.message(), RETRY_AFTER_FAILURE));
        }
        String node = placement.nodeName().get();
        if (status.getNodeName() == null) {
            status.setNodeName(node);
            with.conditions().set(status, generation, ConditionType.Scheduled, true, placement.reason(),
                    placement.message());
        }
        OwnedRootVolumes.Ensured ensured = owned.ensure(vm, rootVolume, node);
        return ensured.refused().map(p -> Placed.waiting(mirror.notReady(status, generation,
                        VirtualMachinePhase.Failed, p.reason(), p.message(), RETRY_AFTER_FAILURE)))
                .orElseGet(() -> new Placed(Optional.empty(), ensured.volume()));
    }

    /**
     * Reprovisioning, one step per reconcile: stop the domain gracefully, hand the new token to the owned volume,
     * wait until the volume holds a fresh copy under that token. Empty when done: the domain then starts with a new
     * seed (new instance-id).
     */
    private Optional<Duration> reprovision(VirtualMachine vm, VirtualMachineStatus status, RootVolume volume,
                                           String token, boolean template, DomainRequestMapper.SeedSecrets secrets)
            throws AgentCallException {
        long generation = generation(vm);
        String node = status.getNodeName();
        Optional<AgentClient> agent = node == null ? Optional.empty() : with.agents().forNode(node);
        if (agent.isPresent()) {
            String domainName = AgentNames.of(vm);
            Optional<DomainStatus> domain = agent.get().getDomain(domainName);
            if (domain.isPresent() && domain.get().phase() != DomainPhase.Stopped) {
                agent.get().putDomain(domainName, DomainRequestMapper.map(vm.getMetadata().getName(),
                        vm.getMetadata().getUid(), vm.getSpec(),
                        AgentNames.of(volume), false, status.getInstanceId(), secrets));
                return Optional.of(mirror.notReady(status, generation, VirtualMachinePhase.Reprovisioning,
                        Reason.REPROVISIONING, "stopping the domain to reprovision (token " + token + ")",
                        DomainStatusMirror.POLL_WHILE_CHANGING));
            }
        }
        if (template && !Objects.equals(volume.getSpec().getReprovisionToken(), token)) {
            owned.reprovision(volume, token);
        }
        if (!isReady(volume) || !Objects.equals(volume.getStatus().getPopulatedToken(), token)) {
            return Optional.of(mirror.notReady(status, generation, VirtualMachinePhase.Reprovisioning,
                    Reason.REPROVISIONING, "re-populating RootVolume " + volume.getMetadata().getName()
                            + " from a fresh copy of its image (token " + token + ")", RETRY_AFTER_FAILURE));
        }
        with.events().normal(vm, Reason.REPROVISIONING, "root volume re-populated (token " + token
                + "); starting with a new cloud-init instance-id");
        return Optional.empty();
    }

    /** Always: running; Halted: stopped; Manual: whatever the domain is now (a new domain stays stopped). */
    private static boolean wantRunning(AgentClient agent, String domainName, VirtualMachineSpec spec)
            throws AgentCallException {
        return switch (DomainRequestMapper.runStrategy(spec)) {
            case Always -> true;
            case Halted -> false;
            case Manual -> agent.getDomain(domainName).map(d -> d.phase() == DomainPhase.Running).orElse(false);
        };
    }

    static Demand demand(VirtualMachineSpec spec) {
        RootVolumeSpec template = spec.getRootVolume().getTemplate();
        long disks = spec.getDataDisks() == null ? 0
                : spec.getDataDisks().stream().mapToLong(d -> Quantities.bytes(d.getSize())).sum();
        return new Demand(Quantities.bytes(template.getSize()) + disks, template.getStorage(),
                Quantities.bytes(spec.getMemory()), spec.getVcpus(), template.getImage().getSha256(),
                template.getImage().getUrl());
    }

    private static boolean isReady(RootVolume volume) {
        return volume.getStatus() != null && volume.getStatus().getPhase() == RootVolumePhase.Ready
                && Conditions.isTrue(volume.getStatus(), ConditionType.Ready);
    }

    private static Optional<String> rootVolumeName(VirtualMachine vm) {
        if (vm.getSpec() == null || vm.getSpec().getRootVolume() == null) {
            return Optional.empty();
        }
        return vm.getSpec().getRootVolume().getTemplate() != null ? Optional.of(OwnedRootVolumes.nameFor(vm))
                : Optional.ofNullable(vm.getSpec().getRootVolume().getName());
    }

    private static long generation(VirtualMachine vm) {
        return vm.getMetadata().getGeneration();
    }

    private static String key(VirtualMachine vm) {
        return ClusterCommitments.key("VirtualMachine", vm.getMetadata().getNamespace(), vm.getMetadata().getName());
    }

    /**
     * Removes the domain (and its data disks and seed, which the agent owns), then the root volume this VM controls.
     * A same-named RootVolume of someone else is never deleted.
     */
    @Override
    public DeleteControl cleanup(VirtualMachine vm, Context<VirtualMachine> context) {
        with.scheduler().release(key(vm));
        DeleteControl control = cleanup.remove(vm, vm.getStatus() == null ? null : vm.getStatus().getNodeName(),
                "the domain", AgentClient::deleteDomain);
        if (control.isRemoveFinalizer() && vm.getSpec() != null && vm.getSpec().getRootVolume() != null
                && vm.getSpec().getRootVolume().getTemplate() != null) {
            owned.deleteIfControlled(vm, context.getSecondaryResource(RootVolume.class));
        }
        return control;
    }
}
