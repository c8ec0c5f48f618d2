package io.virtfleet.operator.rootvolume;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
import io.virtfleet.operator.AgentNames;
import io.virtfleet.operator.Collaborators;
import io.virtfleet.operator.Quantities;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentCleanup;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.RetryGate;
import io.virtfleet.operator.health.NodeEventSource;
import io.virtfleet.operator.policy.PolicyEventSource;
import io.virtfleet.operator.scheduling.ClusterCommitments;
import io.virtfleet.operator.scheduling.Demand;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.spec.Problem;
import io.virtfleet.operator.spec.SecretValues.MissingSecret;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.NodeReachability;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a RootVolume exist, populated, on its node. Reads as its steps: check the spec, bind to a node, read the
 * image credentials, state the desired volume to the node's agent, mirror what the agent reports.
 */
@ControllerConfiguration(name = "rootvolume")
public final class RootVolumeReconciler implements Reconciler<RootVolume>, Cleaner<RootVolume> {
    /** Refresh of progress figures while work runs; a phase change is noticed at once by {@link VolumeProgressWatch}. */
    static final Duration POLL_WHILE_WORKING = Duration.ofSeconds(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

    private final Collaborators with;
    private final RetryGate retries;
    private final AgentCleanup cleanup;
    private final VolumeStatusMirror mirror;
    private final VolumeProgressWatch progress = new VolumeProgressWatch();

    public RootVolumeReconciler(Collaborators with) {
        this.with = with;
        this.retries = new RetryGate(with.clock(), RETRY_AFTER_FAILURE);
        // A volume is refused while its domain is still being removed; look again soon.
        this.cleanup = new AgentCleanup(with.agents(), with.events(), Duration.ofSeconds(2));
        this.mirror = new VolumeStatusMirror(with.conditions(), with.settings().recheckWhenSettled());
    }

    @Override
    public List<EventSource<?, RootVolume>> prepareEventSources(EventSourceContext<RootVolume> context) {
        return List.of(new NodeEventSource<>(with.health(), context.getPrimaryCache(),
                volume -> volume.getStatus() == null ? null : volume.getStatus().getNodeName()), progress,
                new PolicyEventSource<>(with.policies(), context.getPrimaryCache()));
    }

    @Override
    public UpdateControl<RootVolume> reconcile(RootVolume volume, Context<RootVolume> context) {
        if (volume.getStatus() == null) {
            volume.setStatus(new RootVolumeStatus());
        }
        RootVolumeStatus status = volume.getStatus();
        StatusChange change = StatusChange.from(status, status.getPhase());
        Duration next = reconcileSteps(volume, status);
        change.announce(with.events(), volume, status, status.getPhase(),
                status.getPhase() == RootVolumePhase.Failed || Reason.isRefusal(status));
        UpdateControl<RootVolume> control = change.changed(status)
                ? UpdateControl.patchStatus(volume)
                : UpdateControl.noUpdate();
        return control.rescheduleAfter(next);
    }

    private Duration reconcileSteps(RootVolume volume, RootVolumeStatus status) {
        long generation = volume.getMetadata().getGeneration();
        boolean specChanged = !Objects.equals(status.getObservedGeneration(), generation);
        RootVolumeSpec spec = volume.getSpec();
        Optional<Problem> problem = RootVolumeSpecCheck.check(volume.getMetadata().getName(), spec);
        if (problem.isPresent()) {
            return mirror.fail(status, generation, problem.get().reason(), problem.get().message(),
                    with.settings().recheckWhenSettled());
        }
        // The tenant's policy, before scheduling and before any agent call.
        Optional<Problem> refused = with.gate().admit(volume);
        if (refused.isPresent()) {
            RootVolumePhase phase = refused.get().reason().equals(Reason.QUOTA_EXCEEDED) ? RootVolumePhase.Pending
                    : RootVolumePhase.Failed;
            return mirror.notReady(status, generation, phase, refused.get().reason(), refused.get().message(),
                    RETRY_AFTER_FAILURE);
        }
        if (NodeReachability.mark(with.conditions(), with.health(), status, generation, status.getNodeName())) {
            return with.settings().probeInterval();
        }
        NodeScheduler.Placement placement = with.scheduler().place(key(volume), status.getNodeName(),
                spec.getNodeName(), spec.getNodeSelector(), demand(spec));
        if (placement.nodeName().isEmpty()) {
            with.conditions().set(status, generation, ConditionType.Scheduled, false, placement.reason(),
                    placement.message());
            return mirror.notReady(status, generation, RootVolumePhase.Pending, placement.reason(),
                    placement.message(), RETRY_AFTER_FAILURE);
        }
        String node = placement.nodeName().get();
        if (status.getNodeName() == null) {
            with.conditions().set(status, generation, ConditionType.Scheduled, true, placement.reason(),
                    placement.message());
            status.setNodeName(node);
            status.setPhase(RootVolumePhase.Scheduled);
        }
        Optional<AgentClient> agent = with.agents().forNode(node);
        if (agent.isEmpty()) {
            return mirror.notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + node, RETRY_AFTER_FAILURE);
        }
        try {
            VolumeRequest desired = desiredVolume(spec, credentials(volume), volume.getMetadata().getUid());
            VolumeStatus observed = converge(agent.get(), volume, desired, specChanged);
            if (observed.phase() != VolumePhase.Ready && observed.phase() != VolumePhase.Failed) {
                progress.watch(volume, agent.get(), AgentNames.of(volume), observed.phase());
            }
            return mirror.mirror(status, generation, observed);
        } catch (MissingSecret e) {
            return mirror.notReady(status, generation, RootVolumePhase.Pending, Reason.SECRET_NOT_FOUND,
                    e.getMessage(), RETRY_AFTER_FAILURE);
        } catch (AgentCallException e) {
            return agentFailed(status, generation, e);
        }
    }

    private Optional<ImageCredentials> credentials(RootVolume volume) throws MissingSecret {
        return with.secrets().credentials(volume.getMetadata().getNamespace(),
                volume.getSpec().getImage().getCredentialsSecret(), "spec.image.credentialsSecret");
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

    /** The volume as the agent should hold it, recorded for this object's UID (the agent refuses other owners). */
    static VolumeRequest desiredVolume(RootVolumeSpec spec, Optional<ImageCredentials> credentials, String ownerUid) {
        return new VolumeRequest(spec.getImage().getUrl(), spec.getImage().getSha256(),
                Quantities.bytes(spec.getSize()), spec.getStorage(), spec.getReprovisionToken(),
                credentials.orElse(null),
                spec.getImage().getFormat() == null ? null : spec.getImage().getFormat().wireName(), ownerUid);
    }

    static Demand demand(RootVolumeSpec spec) {
        return Demand.storage(Quantities.bytes(spec.getSize()), spec.getStorage(), spec.getImage().getSha256(),
                spec.getImage().getUrl());
    }

    private Duration agentFailed(RootVolumeStatus status, long generation, AgentCallException e) {
        if (e.unreachable()) {
            return mirror.notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE, e.getMessage(),
                    with.settings().probeInterval());
        }
        if (AgentErrorReasons.VOLUME_IN_USE.equals(e.error().reason())) {
            // Reprovisioning waits for the VM to stop its domain; the VM reconciler is doing that now.
            return mirror.notReady(status, generation, status.getPhase(), Reason.WAITING_FOR_DOMAIN_STOP,
                    e.error().message(), Duration.ofSeconds(2));
        }
        return mirror.fail(status, generation, e.error().reason(), e.error().message(), RETRY_AFTER_FAILURE);
    }

    static String key(RootVolume volume) {
        return ClusterCommitments.key("RootVolume", volume.getMetadata().getNamespace(),
                volume.getMetadata().getName());
    }

    @Override
    public DeleteControl cleanup(RootVolume volume, Context<RootVolume> context) {
        retries.forget(AgentNames.of(volume));
        with.scheduler().release(key(volume));
        if (volume.getSpec() != null && volume.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
            with.events().normal(volume, Reason.RETAINED, "deletionPolicy Retain: volume " + AgentNames.of(volume)
                    + " stays on node " + (volume.getStatus() == null ? "(none)" : volume.getStatus().getNodeName()));
            return DeleteControl.defaultDelete();
        }
        return cleanup.remove(volume, volume.getStatus() == null ? null : volume.getStatus().getNodeName(),
                "the volume", AgentClient::deleteVolume);
    }
}
