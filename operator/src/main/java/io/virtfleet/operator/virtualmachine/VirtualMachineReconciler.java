package io.virtfleet.operator.virtualmachine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.base.Quantities;
import io.virtfleet.operator.finalizer.AgentCleanup;
import io.virtfleet.operator.finalizer.FinalizerRelease;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.health.NodeEventSource;
import io.virtfleet.operator.health.NodeReachability;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.policy.PolicyEventSource;
import io.virtfleet.operator.policy.TenantGate;
import io.virtfleet.operator.policy.TenantPolicies;
import io.virtfleet.operator.scheduling.CapacityEventSource;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.secrets.SecretValues.MissingSecret;
import io.virtfleet.operator.secrets.SecretValues.SecretNotOptedIn;
import io.virtfleet.operator.secrets.SeedSecrets;
import io.virtfleet.operator.secrets.SeedSecretsReader;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.OutcomeWriter;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;
import io.virtfleet.operator.status.StatusUpdates;
import io.virtfleet.operator.status.Steps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a VirtualMachine a libvirt domain on the node of its root volume. Steps: check the spec; admit it under the
 * tenant's policy; check its node answers; read the seed's Secrets; place it and create its owned root volume
 * (template); wait for the volume, reprovisioning first when the token changed; run where the volume is, with its
 * host devices there; restart
 * when the restartToken changed; state the desired domain, pause or resume it, and mirror the agent's view.
 */
@ControllerConfiguration(name = "virtualmachine")
public final class VirtualMachineReconciler implements Reconciler<VirtualMachine>, Cleaner<VirtualMachine> {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    /** The agent reconnects to libvirtd within seconds of its return (backoff capped at 10 s). */
    static final Duration RETRY_WHILE_LIBVIRT_DOWN = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachineReconciler.class);
    /**
     * Phases worth a Normal Event: those a VM rests in, and a reprovision, which a person asked for and which replaces
     * the disk. The steps on the way to a start are not, except a restart done (the guest went off for a new
     * restartToken), again an action a person asked for.
     */
    private static final Set<VirtualMachinePhase> ANNOUNCED = EnumSet.of(VirtualMachinePhase.Running,
            VirtualMachinePhase.Stopped, VirtualMachinePhase.Paused, VirtualMachinePhase.Reprovisioning);

    private final AgentDirectory agents;
    private final AgentHealth health;
    private final TenantPolicies policies;
    private final TenantGate gate;
    private final NodeReachability reachability;
    private final SeedSecretsReader seedSecrets;
    private final OwnedRootVolumes owned;
    private final TemplatePlacement placement;
    private final HostDeviceAssignment devices;
    private final NodeScheduler scheduler;
    private final VolumeGate volumes;
    private final Reprovisioning reprovisioning;
    private final DomainStatusMirror mirror;
    private final BalloonFollow balloons = new BalloonFollow(Clock.systemUTC());
    private final StatusUpdates<VirtualMachine, VirtualMachineStatus, VirtualMachinePhase> updates;
    private final AgentCleanup cleanup;
    private final EventRecorder events;
    private final Duration settled;

    /**
     * @param client  creates, reprovisions and deletes the RootVolume a template VM owns
     * @param health  and {@code policies}: what wakes a VM besides its own changes (node health, policies)
     * @param settled how long a settled VM waits before it is compared with its node again
     */
    public VirtualMachineReconciler(KubernetesClient client, AgentDirectory agents, AgentHealth health,
                                    TenantPolicies policies, TenantGate gate, NodeReachability reachability,
                                    NodeScheduler scheduler, SeedSecretsReader seedSecrets, Conditions conditions,
                                    EventRecorder events, PhaseGauges<VirtualMachinePhase> gauges,
                                    AgentCleanup cleanup, Duration settled) {
        this.agents = agents;
        this.health = health;
        this.policies = policies;
        this.gate = gate;
        this.reachability = reachability;
        this.seedSecrets = seedSecrets;
        this.owned = new OwnedRootVolumes(client);
        this.placement = new TemplatePlacement(scheduler, owned, conditions);
        this.devices = new HostDeviceAssignment(scheduler, conditions);
        this.scheduler = scheduler;
        this.volumes = new VolumeGate(conditions, settled);
        this.reprovisioning = new Reprovisioning(agents, owned, events);
        this.mirror = new DomainStatusMirror(conditions, settled);
        this.updates = new StatusUpdates<>(new OutcomeWriter<>(conditions, VirtualMachineStatus::getPhase,
                VirtualMachineStatus::setPhase, VirtualMachinePhase.Pending), events, VirtualMachineStatus::getPhase,
                VirtualMachinePhase.Failed, gauges, (vm, phase) -> ANNOUNCED.contains(phase)
                || Conditions.hasReason(vm.getStatus(), ConditionType.Ready, Reason.RESTARTED));
        this.cleanup = cleanup;
        this.events = events;
        this.settled = settled;
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
        return List.of(new InformerEventSource<>(configuration, context), new NodeEventSource<>(health,
                context.getPrimaryCache(), vm -> vm.getStatus() == null ? null : vm.getStatus().getNodeName()),
                new PolicyEventSource<>(policies, context.getPrimaryCache()),
                new CapacityEventSource<>(scheduler, context.getPrimaryCache(), VirtualMachine::getStatus));
    }

    @Override
    public UpdateControl<VirtualMachine> reconcile(VirtualMachine vm, Context<VirtualMachine> context) {
        VirtualMachineStatus status = statusOf(vm);
        StatusChange change = StatusChange.from(status, status.getPhase());
        Outcome<VirtualMachinePhase> outcome = new Run(vm, status, context.getSecondaryResource(RootVolume.class))
                .steps();
        return updates.conclude(vm, status, change, generation(vm), outcome, context);
    }

    @Override
    public ErrorStatusUpdateControl<VirtualMachine> updateErrorStatus(VirtualMachine vm,
                                                                      Context<VirtualMachine> context, Exception e) {
        return updates.error(vm, statusOf(vm), generation(vm), e, context);
    }

    /** One reconcile of one VM: its steps, in order, and what they learn on the way. */
    private final class Run {
        private final VirtualMachine vm;
        private final VirtualMachineStatus status;
        private final VirtualMachineSpec spec;
        private final long generation;
        private final boolean template;
        private Optional<RootVolume> rootVolume;
        private SeedSecrets secrets;
        private AgentClient agent;

        Run(VirtualMachine vm, VirtualMachineStatus status, Optional<RootVolume> rootVolume) {
            this.vm = vm;
            this.status = status;
            this.spec = vm.getSpec();
            this.generation = generation(vm);
            this.template = spec.getRootVolume() != null && spec.getRootVolume().getTemplate() != null;
            this.rootVolume = rootVolume;
        }

        Outcome<VirtualMachinePhase> steps() {
            try {
                return Steps.run(this::checkSpec, this::admit, this::checkReachability, this::readSeedSecrets,
                        this::placeWithOwnedVolume, this::awaitVolume, this::runWhereTheVolumeIs, this::findAgent,
                        this::restart, this::defineDomain);
            } catch (AgentCallException e) {
                String node = status.getNodeName();
                if (e.unreachable()) {
                    return reachability.callFailed(status, generation, node, e.getMessage());
                }
                if (AgentErrorReasons.LIBVIRT_UNAVAILABLE.equals(e.error().reason())) {
                    // libvirtd restarting under the agent: passing, the agent reconnects; the VM is not Failed.
                    return Outcome.unknown(e.error().reason(), e.error().message(), RETRY_WHILE_LIBVIRT_DOWN);
                }
                LOG.atWarn().addKeyValue("node", node).addKeyValue("reason", e.error().reason())
                        .log("agent call failed: {}", e.error().message());
                return Outcome.notReady(VirtualMachinePhase.Failed, e.error().reason(), e.error().message(),
                        RETRY_AFTER_FAILURE);
            }
        }

        private Optional<Outcome<VirtualMachinePhase>> checkSpec() {
            return VirtualMachineSpecCheck.check(vm.getMetadata().getName(), spec)
                    .map(p -> Outcome.notReady(VirtualMachinePhase.Failed, p.reason(), p.message(), settled));
        }

        /** Before placement and before any agent call: a refused VM takes nothing on a host. */
        private Optional<Outcome<VirtualMachinePhase>> admit() {
            return (template ? OwnedRootVolumes.foreign(vm, rootVolume) : Optional.<Problem>empty())
                    .or(() -> gate.admit(vm))
                    .map(VirtualMachineReconciler::refused);
        }

        private Optional<Outcome<VirtualMachinePhase>> checkReachability() {
            return reachability.check(status, generation, status.getNodeName());
        }

        private Optional<Outcome<VirtualMachinePhase>> readSeedSecrets() {
            try {
                secrets = seedSecrets.read(vm);
                return Optional.empty();
            } catch (MissingSecret e) {
                return Optional.of(Outcome.notReady(VirtualMachinePhase.Pending, Reason.SECRET_NOT_FOUND,
                        e.getMessage(), RETRY_AFTER_FAILURE));
            } catch (SecretNotOptedIn e) {
                return failed(Reason.SECRET_NOT_OPTED_IN, e.getMessage());
            } catch (SeedSecretsReader.InvalidSecret e) {
                return failed(Reason.INVALID_SPEC, e.getMessage());
            }
        }

        private Optional<Outcome<VirtualMachinePhase>> placeWithOwnedVolume() {
            if (!template) {
                return Optional.empty();
            }
            TemplatePlacement.Placed placed = placement.place(vm, status, generation, rootVolume);
            rootVolume = placed.volume();
            return placed.waiting();
        }

        /** The volume exists; a new token is reprovisioned first; then the volume must be Ready. */
        private Optional<Outcome<VirtualMachinePhase>> awaitVolume() throws AgentCallException {
            Optional<Outcome<VirtualMachinePhase>> missing = volumes.exists(vm, status, generation,
                    rootVolumeName(vm).orElseThrow(), template, rootVolume);
            if (missing.isPresent()) {
                return missing;
            }
            RootVolume volume = rootVolume.get();
            String token = token(volume);
            if (Reprovisioning.due(status, token)) {
                Optional<Outcome<VirtualMachinePhase>> stillReprovisioning = reprovisioning.step(vm, status, volume,
                        token, template, secrets);
                if (stillReprovisioning.isPresent()) {
                    return stillReprovisioning;
                }
            }
            return volumes.ready(status, generation, volume);
        }

        /** Bound to the volume's node, with the host devices it asks for there. */
        private Optional<Outcome<VirtualMachinePhase>> runWhereTheVolumeIs() {
            return volumes.bind(vm, status, generation, rootVolume.orElseThrow(), template)
                    .or(() -> devices.ensure(vm, status, generation));
        }

        private Optional<Outcome<VirtualMachinePhase>> findAgent() {
            String node = rootVolume.orElseThrow().getStatus().getNodeName();
            agent = agents.forNode(node).orElse(null);
            return agent != null ? Optional.empty() : Optional.of(reachability.callFailed(status, generation, node,
                    "no host agent is known for node " + node));
        }

        /** A new restartToken: shut down, record it, and let the next reconcile start the domain again. */
        private Optional<Outcome<VirtualMachinePhase>> restart() throws AgentCallException {
            return Restart.step(spec, status, agent, AgentNames.of(vm), () -> domainRequest(false));
        }

        /**
         * States the full desired domain (the agent converges it: defined, started or stopped), pauses or resumes it
         * to match the runStrategy, and mirrors what the agent reports.
         */
        private Optional<Outcome<VirtualMachinePhase>> defineDomain() throws AgentCallException {
            String token = token(rootVolume.orElseThrow());
            status.setProvisionedToken(token);
            status.setInstanceId(DomainRequestMapper.instanceId(vm.getMetadata().getUid(), token));
            String domainName = AgentNames.of(vm);
            Power desired = desiredPower(agent, domainName, vm.getMetadata().getUid(), spec, status);
            DomainStatus observed = desired.settle(agent, domainName, vm.getMetadata().getUid(),
                    agent.putDomain(domainName, domainRequest(desired.active())));
            LiveHardwareMirror.mirror(status, observed)
                    .ifPresent(change -> events.normal(vm, Reason.HARDWARE_UPDATED, change));
            return Optional.of(balloons.sooner(vm.getMetadata().getUid(), Quantities.bytes(spec.getMemory()), observed,
                    mirror.mirror(status, generation, spec, observed, desired)));
        }

        private DomainRequest domainRequest(boolean running) {
            return DomainRequestMapper.map(vm.getMetadata().getName(), vm.getMetadata().getUid(), spec,
                    AgentNames.of(rootVolume.orElseThrow()), running, status.getInstanceId(), secrets)
                    .withHostDevices(HostDeviceAssignment.addresses(status));
        }

        /** A template VM hands its own token to its volume; a VM on a named volume follows the volume's. */
        private String token(RootVolume volume) {
            return template ? spec.getReprovisionToken() : volume.getSpec().getReprovisionToken();
        }
    }

    private static Optional<Outcome<VirtualMachinePhase>> failed(String reason, String message) {
        return Optional.of(Outcome.notReady(VirtualMachinePhase.Failed, reason, message, RETRY_AFTER_FAILURE));
    }

    /** A quota waits (Pending) for room; every other refusal needs a person (Failed). */
    private static Outcome<VirtualMachinePhase> refused(Problem problem) {
        VirtualMachinePhase phase = problem.reason().equals(Reason.QUOTA_EXCEEDED) ? VirtualMachinePhase.Pending
                : VirtualMachinePhase.Failed;
        return Outcome.notReady(phase, problem.reason(), problem.message(), RETRY_AFTER_FAILURE);
    }

    /**
     * What the runStrategy asks ({@link Power#desired}); the agent is asked only when the answer depends on the
     * domain (Manual), or when a VM last seen paused is to stop: its guest is resumed first, so that it can shut down.
     */
    private static Power desiredPower(AgentClient agent, String domainName, String ownerUid, VirtualMachineSpec spec,
                                      VirtualMachineStatus status) throws AgentCallException {
        RunStrategy strategy = DomainRequestMapper.runStrategy(spec);
        Power desired = Power.desired(strategy, strategy == RunStrategy.Manual
                ? agent.getDomain(domainName).map(DomainStatus::phase) : Optional.empty());
        if (desired == Power.STOPPED && status.getPhase() == VirtualMachinePhase.Paused) {
            Power.resumeBeforeStop(agent, domainName, ownerUid);
        }
        return desired;
    }

    private static Optional<String> rootVolumeName(VirtualMachine vm) {
        if (vm.getSpec() == null || vm.getSpec().getRootVolume() == null) {
            return Optional.empty();
        }
        return vm.getSpec().getRootVolume().getTemplate() != null ? Optional.of(OwnedRootVolumes.nameFor(vm))
                : Optional.ofNullable(vm.getSpec().getRootVolume().getName());
    }

    private static VirtualMachineStatus statusOf(VirtualMachine vm) {
        if (vm.getStatus() == null) {
            vm.setStatus(new VirtualMachineStatus());
        }
        return vm.getStatus();
    }

    private static long generation(VirtualMachine vm) {
        return vm.getMetadata().getGeneration();
    }

    /**
     * Removes the domain (shut down gracefully first; its data disks and seed go with it), then the root volume this
     * VM controls. A same-named RootVolume of someone else is never deleted. When an admin released the VM from a node
     * that is gone, its owned root volume (on that node too) is released with it and reports its own leftovers.
     */
    @Override
    public DeleteControl cleanup(VirtualMachine vm, Context<VirtualMachine> context) {
        placement.release(vm);
        String node = vm.getStatus() == null ? null : vm.getStatus().getNodeName();
        DeleteControl control = cleanup.remove(vm, node, counterpart(vm));
        if (control.isRemoveFinalizer() && vm.getSpec() != null && vm.getSpec().getRootVolume() != null
                && vm.getSpec().getRootVolume().getTemplate() != null) {
            boolean released = node != null && FinalizerRelease.requested(vm)
                    && health.unreachableSince(node).isPresent();
            owned.deleteIfControlled(vm, context.getSecondaryResource(RootVolume.class),
                    released ? Optional.of(node) : Optional.empty());
        }
        if (control.isRemoveFinalizer()) {
            updates.forget(vm);
            balloons.forget(vm.getMetadata().getUid());
        }
        return control;
    }

    /** A paused guest is resumed first: the agent's deletion shuts a running guest down gracefully (ACPI). */
    private static AgentCleanup.Counterpart counterpart(VirtualMachine vm) {
        String domain = AgentNames.of(vm);
        boolean paused = vm.getStatus() != null && vm.getStatus().getPhase() == VirtualMachinePhase.Paused;
        return new AgentCleanup.Counterpart("the domain", (agent, name, uid) -> {
            if (paused) {
                Power.resumeBeforeStop(agent, name, uid);
            }
            return agent.deleteDomain(name, uid).isEmpty();
        },
                "libvirt domain " + domain + " (possibly still running) with its NVRAM, data disks " + domain + "_vd*, "
                        + "cloud-init seed and console log", RETRY_AFTER_FAILURE);
    }
}
