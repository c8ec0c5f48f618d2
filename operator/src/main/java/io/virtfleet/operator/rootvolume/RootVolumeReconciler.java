package io.virtfleet.operator.rootvolume;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.crds.v1alpha1.DeletionPolicy;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.agent.RetryGate;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.finalizer.AgentCleanup;
import io.virtfleet.operator.health.AgentHealth;
import io.virtfleet.operator.image.CatalogEventSource;
import io.virtfleet.operator.image.CatalogImages;
import io.virtfleet.operator.health.NodeEventSource;
import io.virtfleet.operator.health.NodeReachability;
import io.virtfleet.operator.metrics.PhaseGauges;
import io.virtfleet.operator.policy.PolicyEventSource;
import io.virtfleet.operator.policy.TenantGate;
import io.virtfleet.operator.policy.TenantPolicies;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.secrets.SecretValues;
import io.virtfleet.operator.secrets.SecretValues.MissingSecret;
import io.virtfleet.operator.spec.Problem;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a RootVolume exist, populated, on its node. Reads as its steps: check the spec, admit it under the tenant's
 * policy, check the node answers, bind to a node, find its agent, state the desired volume and mirror what the agent
 * reports.
 */
@ControllerConfiguration(name = "rootvolume")
public final class RootVolumeReconciler implements Reconciler<RootVolume>, Cleaner<RootVolume> {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RootVolumeReconciler.class);

    private final AgentDirectory agents;
    private final AgentHealth health;
    private final TenantPolicies policies;
    private final TenantGate gate;
    private final NodeReachability reachability;
    private final VolumePlacement placement;
    private final SecretValues secrets;
    private final CatalogImages catalog;
    private final VolumeStatusMirror mirror;
    private final StatusUpdates<RootVolume, RootVolumeStatus, RootVolumePhase> updates;
    private final AgentCleanup cleanup;
    private final RetryGate retries;
    private final Duration settled;
    private final VolumeProgressWatch progress = new VolumeProgressWatch();

    /**
     * @param health   and {@code policies}: what wakes a RootVolume besides its own changes (node health, policies)
     * @param settled  how long a Ready volume waits before it is compared with its node again
     */
    public RootVolumeReconciler(AgentDirectory agents, AgentHealth health, TenantPolicies policies, TenantGate gate,
                                NodeReachability reachability, NodeScheduler scheduler, SecretValues secrets,
                                CatalogImages catalog, Conditions conditions, EventRecorder events,
                                PhaseGauges<RootVolumePhase> gauges, AgentCleanup cleanup, Clock clock,
                                Duration settled) {
        this.agents = agents;
        this.health = health;
        this.policies = policies;
        this.gate = gate;
        this.reachability = reachability;
        this.placement = new VolumePlacement(scheduler, conditions);
        this.secrets = secrets;
        this.catalog = catalog;
        this.mirror = new VolumeStatusMirror(conditions, settled);
        this.updates = new StatusUpdates<>(new OutcomeWriter<>(conditions, RootVolumeStatus::getPhase,
                RootVolumeStatus::setPhase, RootVolumePhase.Pending), events, RootVolumeStatus::getPhase,
                RootVolumePhase.Failed, gauges, (volume, phase) -> phase == RootVolumePhase.Ready
                        && !ownedByVirtualMachine(volume));
        this.cleanup = cleanup;
        this.retries = new RetryGate(clock, RETRY_AFTER_FAILURE);
        this.settled = settled;
    }

    @Override
    public List<EventSource<?, RootVolume>> prepareEventSources(EventSourceContext<RootVolume> context) {
        return List.of(new NodeEventSource<>(health, context.getPrimaryCache(),
                volume -> volume.getStatus() == null ? null : volume.getStatus().getNodeName()), progress,
                new PolicyEventSource<>(policies, context.getPrimaryCache()),
                new CatalogEventSource<>(catalog, context.getPrimaryCache(), RootVolumeReconciler::catalogOf));
    }

    @Override
    public UpdateControl<RootVolume> reconcile(RootVolume volume, Context<RootVolume> context) {
        RootVolumeStatus status = statusOf(volume);
        StatusChange change = StatusChange.from(status, status.getPhase());
        Outcome<RootVolumePhase> outcome = new Run(volume, status, context.getClient()).steps();
        return updates.conclude(volume, status, change, generation(volume), outcome, context);
    }

    @Override
    public ErrorStatusUpdateControl<RootVolume> updateErrorStatus(RootVolume volume, Context<RootVolume> context,
                                                                  Exception e) {
        return updates.error(volume, statusOf(volume), generation(volume), e, context);
    }

    /** One reconcile of one RootVolume: its steps, in order, and what they learn on the way. */
    private final class Run {
        private final RootVolume volume;
        private final RootVolumeStatus status;
        private final RootVolumeSpec spec;
        private final long generation;
        /** Read before any step writes a condition (which stamps observedGeneration). */
        private final boolean specChanged;
        private final KubernetesClient client;
        private String node;
        private AgentClient agent;
        /** A clone's source (node and agent request); null for a volume from an image. */
        private CloneSources.Resolved clone;
        /** The image to fetch (a catalogue image resolved); null for a clone, or for {@link #unresolved}. */
        private CatalogImages.Resolved image;
        /** A populated volume whose catalogue image is gone: only read from its node, never stated again. */
        private Problem unresolved;

        Run(RootVolume volume, RootVolumeStatus status, KubernetesClient client) {
            this.volume = volume;
            this.status = status;
            this.client = client;
            this.spec = volume.getSpec();
            this.generation = generation(volume);
            this.specChanged = !Objects.equals(status.getObservedGeneration(), generation);
        }

        Outcome<RootVolumePhase> steps() {
            Outcome<RootVolumePhase> outcome;
            try {
                outcome = Steps.run(this::checkSpec, this::admit, this::resolveImage, this::checkReachability,
                        this::findCloneSource, this::place, this::findAgent, this::stateAndMirror);
            } catch (AgentCallException e) {
                outcome = agentFailed(e);
            }
            if (image == null || image.catalog() == null) {
                return outcome;
            }
            // The platform's URL: the tenant reads the image's name, the log keeps the agent's words.
            Outcome<RootVolumePhase> worded = image.tenantText().forTenant(status, outcome);
            if (!Objects.equals(worded.message(), outcome.message())) {
                LOG.atInfo().addKeyValue("virtualmachineimage", image.catalog()).log("{}", outcome.message());
            }
            return worded;
        }

        private Optional<Outcome<RootVolumePhase>> checkSpec() {
            return RootVolumeSpecCheck.check(volume.getMetadata().getName(), spec)
                    .map(p -> Outcome.notReady(RootVolumePhase.Failed, p.reason(), p.message(), settled));
        }

        /** The tenant's policy, before scheduling and before any agent call. */
        private Optional<Outcome<RootVolumePhase>> admit() {
            return gate.admit(volume).map(RootVolumeReconciler::refused);
        }

        /**
         * A catalogue image becomes the platform's URL, digest and credentials, for a namespace the image selects;
         * else nothing happens on any node. A missing image waits (Pending), a refused one needs a person (Failed).
         */
        private Optional<Outcome<RootVolumePhase>> resolveImage() {
            if (spec.getImage() == null) {
                return Optional.empty();
            }
            CatalogImages.Resolution resolution = catalog.resolve(volume.getMetadata().getNamespace(), spec.getImage(),
                    "spec.image");
            image = resolution.image().orElse(null);
            Optional<Problem> problem = resolution.problem();
            if (problem.isPresent() && problem.get().reason().equals(CatalogImages.IMAGE_NOT_FOUND) && populated()) {
                unresolved = problem.get(); // deleting an old catalogue image must not unsettle what was built from it
                return Optional.empty();
            }
            return problem.map(RootVolumeReconciler::unresolvable);
        }

        /** Ready for this very spec: the node holds what it asks, so nothing there needs the image again. */
        private boolean populated() {
            return status.getPhase() == RootVolumePhase.Ready && !specChanged
                    && Objects.equals(status.getPopulatedToken(), spec.getReprovisionToken());
        }

        private Optional<Outcome<RootVolumePhase>> checkReachability() {
            return reachability.check(status, generation, status.getNodeName());
        }

        /** A clone waits for its source and lives on the source's node. */
        private Optional<Outcome<RootVolumePhase>> findCloneSource() {
            if (spec.getSource() == null) {
                return Optional.empty();
            }
            clone = CloneSources.resolve(client, volume);
            return clone.stop();
        }

        private Optional<Outcome<RootVolumePhase>> place() {
            VolumePlacement.Placed placed = placement.place(volume, status, generation,
                    clone != null ? clone.node() : spec.getNodeName(), image);
            node = placed.node().orElse(null);
            return placed.waiting();
        }

        private Optional<Outcome<RootVolumePhase>> findAgent() {
            agent = agents.forNode(node).orElse(null);
            return agent != null ? Optional.empty() : Optional.of(reachability.callFailed(status, generation, node,
                    "no host agent is known for node " + node));
        }

        /** States the desired volume when needed and mirrors the agent's view; watches it while work runs. */
        private Optional<Outcome<RootVolumePhase>> stateAndMirror() throws AgentCallException {
            if (unresolved != null) {
                Optional<VolumeStatus> kept = agent.getVolume(AgentNames.of(volume))
                        .filter(v -> v.phase() == VolumePhase.Ready);
                return Optional.of(kept.isPresent() ? mirror.mirror(status, generation, kept.get())
                        : unresolvable(unresolved));
            }
            if (clone != null) { // copied once; afterwards only read
                String name = AgentNames.of(volume);
                Optional<VolumeStatus> copied = agent.getVolume(name).filter(v -> v.phase() == VolumePhase.Ready);
                return Optional.of(mirror.mirror(status, generation,
                        copied.isPresent() ? copied.get() : agent.cloneVolume(name, clone.request())));
            }
            Optional<ImageCredentials> credentials;
            try {
                credentials = secrets.credentials(image.credentialsNamespace(), image.source().getCredentialsSecret(),
                        image.catalog() == null ? "spec.image.credentialsSecret"
                                : "VirtualMachineImage " + image.catalog() + " spec.credentialsSecret");
            } catch (MissingSecret e) {
                String message = e.getMessage();
                if (image.catalog() != null) { // the platform's Secret: named in the log only
                    LOG.atWarn().addKeyValue("virtualmachineimage", image.catalog()).log("{}", message);
                    message = image.tenantText().credentialsUnavailable();
                }
                return Optional.of(Outcome.notReady(RootVolumePhase.Pending, Reason.SECRET_NOT_FOUND, message,
                        RETRY_AFTER_FAILURE));
            }
            VolumeStatus observed = converge(agent, volume,
                    VolumeRequestMapper.map(spec, image.source(), credentials, volume.getMetadata().getUid()), specChanged);
            Outcome<RootVolumePhase> outcome = mirror.mirror(status, generation, observed);
            boolean atWork = observed.phase() != VolumePhase.Ready && observed.phase() != VolumePhase.Failed;
            if (atWork && progress.watch(volume, agent, AgentNames.of(volume), observed.phase())) {
                // The watch wakes the reconcile when the phase moves; this refresh is for the progress figures.
                return Optional.of(outcome.retryingAfter(VolumeStatusMirror.REFRESH_WHILE_WATCHED));
            }
            return Optional.of(outcome);
        }

        private Outcome<RootVolumePhase> agentFailed(AgentCallException e) {
            if (e.unreachable()) {
                return reachability.callFailed(status, generation, node, e.getMessage());
            }
            LOG.atWarn().addKeyValue("node", node).addKeyValue("reason", e.error().reason())
                    .log("agent call failed: {}", e.error().message());
            if (AgentErrorReasons.VOLUME_IN_USE.equals(e.error().reason())) {
                // Reprovisioning waits for the VM to stop its domain; the VM reconciler is doing that now.
                return Outcome.notReadyKeepingPhase(Reason.WAITING_FOR_DOMAIN_STOP, e.error().message(),
                        Duration.ofSeconds(2));
            }
            return Outcome.notReady(RootVolumePhase.Failed, e.error().reason(), e.error().message(),
                    RETRY_AFTER_FAILURE);
        }
    }

    /** A missing catalogue image waits for it (Pending); an image the namespace may not use needs a person (Failed). */
    private static Outcome<RootVolumePhase> unresolvable(Problem problem) {
        return Outcome.notReady(problem.reason().equals(CatalogImages.IMAGE_NOT_FOUND) ? RootVolumePhase.Pending
                : RootVolumePhase.Failed, problem.reason(), problem.message(), RETRY_AFTER_FAILURE);
    }

    /** A quota waits (Pending) for room; every other refusal needs a person (Failed). */
    private static Outcome<RootVolumePhase> refused(Problem problem) {
        RootVolumePhase phase = problem.reason().equals(Reason.QUOTA_EXCEEDED) ? RootVolumePhase.Pending
                : RootVolumePhase.Failed;
        return Outcome.notReady(phase, problem.reason(), problem.message(), RETRY_AFTER_FAILURE);
    }

    /**
     * Reads the agent's volume first and states the desired one only when needed: when the agent lacks it or has
     * nothing running for it, when it differs from the spec (a new reprovisionToken), or when a failure is due for a
     * retry.
     */
    private VolumeStatus converge(AgentClient agent, RootVolume volume, VolumeRequest desired, boolean specChanged)
            throws AgentCallException {
        String name = AgentNames.of(volume);
        Optional<VolumeStatus> observed = agent.getVolume(name);
        boolean put = observed.isEmpty() || specChanged || switch (observed.get().phase()) {
            case Pending -> true;
            case Downloading, Populating -> false;
            case Ready -> !Objects.equals(observed.get().populatedToken(), desired.reprovisionToken());
            case Failed -> retries.tryAttempt(name);
        };
        if (!put) {
            return observed.get();
        }
        retries.attempted(name);
        return agent.putVolume(name, desired);
    }

    /**
     * A VM's own root volume ({@code rootVolume.template}) tells its happy path through the VM's Events (Running says
     * the volume is Ready); its Warnings stay its own.
     */
    private static boolean ownedByVirtualMachine(RootVolume volume) {
        return volume.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && "VirtualMachine".equals(o.getKind()));
    }

    private static String catalogOf(RootVolume volume) {
        return volume.getSpec() == null || volume.getSpec().getImage() == null ? null
                : volume.getSpec().getImage().getCatalog();
    }

    private static RootVolumeStatus statusOf(RootVolume volume) {
        if (volume.getStatus() == null) {
            volume.setStatus(new RootVolumeStatus());
        }
        return volume.getStatus();
    }

    private static long generation(RootVolume volume) {
        return volume.getMetadata().getGeneration();
    }

    @Override
    public DeleteControl cleanup(RootVolume volume, Context<RootVolume> context) {
        retries.forget(AgentNames.of(volume));
        placement.release(volume);
        DeleteControl control;
        if (volume.getSpec() != null && volume.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
            control = cleanup.retain(volume, volume.getStatus() == null ? null : volume.getStatus().getNodeName());
        } else {
            control = cleanup.remove(volume, volume.getStatus() == null ? null : volume.getStatus().getNodeName(),
                    counterpart(volume));
        }
        if (control.isRemoveFinalizer()) {
            updates.forget(volume);
        }
        return control;
    }

    /** The volume on its node; a volume is refused while its domain is still being removed, so look again soon. */
    private static AgentCleanup.Counterpart counterpart(RootVolume volume) {
        String name = AgentNames.of(volume);
        String pool = volume.getSpec() == null || volume.getSpec().getStorage() == null ? "the agent's default pool"
                : "pool " + volume.getSpec().getStorage();
        String devicePath = volume.getStatus() == null ? null : volume.getStatus().getDevicePath();
        String path = devicePath == null ? "" : " (" + devicePath + ")";
        return new AgentCleanup.Counterpart("the volume", (agent, agentName, uid) -> {
            agent.deleteVolume(agentName, uid);
            return true;
        }, "storage volume " + name + " in " + pool + path, Duration.ofSeconds(2));
    }
}
