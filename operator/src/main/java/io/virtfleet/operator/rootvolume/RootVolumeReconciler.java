package io.virtfleet.operator.rootvolume;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeSpec;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.AgentNames;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentCleanup;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.agent.RetryGate;
import io.virtfleet.operator.scheduling.NodeScheduler;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import io.virtfleet.operator.status.StatusChange;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a RootVolume exist, populated, on its node. Reads as its steps: check the spec, bind to a node, state the
 * desired volume to the node's agent, mirror what the agent reports.
 */
@ControllerConfiguration(name = "rootvolume")
public final class RootVolumeReconciler implements Reconciler<RootVolume>, Cleaner<RootVolume> {
    static final Duration POLL_WHILE_WORKING = Duration.ofSeconds(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    static final Duration RECHECK_WHEN_READY = Duration.ofMinutes(5);

    private final AgentDirectory agents;
    private final NodeScheduler scheduler;
    private final Conditions conditions;
    private final EventRecorder events;
    private final RetryGate retries;
    private final AgentCleanup cleanup;

    public RootVolumeReconciler(AgentDirectory agents, Conditions conditions, EventRecorder events, Clock clock) {
        this.agents = agents;
        this.scheduler = new NodeScheduler(agents);
        this.conditions = conditions;
        this.events = events;
        this.retries = new RetryGate(clock, RETRY_AFTER_FAILURE);
        // A volume is refused while its domain is still being removed; look again soon.
        this.cleanup = new AgentCleanup(agents, events, Duration.ofSeconds(2));
    }

    @Override
    public UpdateControl<RootVolume> reconcile(RootVolume volume, Context<RootVolume> context) {
        if (volume.getStatus() == null) {
            volume.setStatus(new RootVolumeStatus());
        }
        RootVolumeStatus status = volume.getStatus();
        StatusChange change = StatusChange.from(status, status.getPhase());
        Duration next = reconcileSteps(volume, status);
        boolean failed = status.getPhase() == RootVolumePhase.Failed;
        change.announce(events, volume, status, status.getPhase(), failed);
        UpdateControl<RootVolume> control = change.changed(status)
                ? UpdateControl.patchStatus(volume)
                : UpdateControl.noUpdate();
        return control.rescheduleAfter(next);
    }

    private Duration reconcileSteps(RootVolume volume, RootVolumeStatus status) {
        long generation = volume.getMetadata().getGeneration();
        boolean specChanged = !Objects.equals(status.getObservedGeneration(), generation);
        Optional<RootVolumeSpecCheck.Problem> problem = RootVolumeSpecCheck.check(volume.getSpec());
        if (problem.isPresent()) {
            return fail(status, generation, problem.get().reason(), problem.get().message(), RECHECK_WHEN_READY);
        }
        NodeScheduler.Placement placement = scheduler.place(status.getNodeName(), volume.getSpec().getNodeName());
        if (placement.nodeName().isEmpty()) {
            conditions.set(status, generation, ConditionType.Scheduled, false, placement.reason(), placement.message());
            return notReady(status, generation, RootVolumePhase.Pending, placement.reason(), placement.message(),
                    RETRY_AFTER_FAILURE);
        }
        String node = placement.nodeName().get();
        status.setNodeName(node);
        conditions.set(status, generation, ConditionType.Scheduled, true, placement.reason(), placement.message());
        AgentClient agent = agents.forNode(node).orElse(null);
        if (agent == null) {
            return notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE,
                    "no host agent is known for node " + node, RETRY_AFTER_FAILURE);
        }
        try {
            return mirror(status, generation, converge(agent, volume, specChanged));
        } catch (AgentCallException e) {
            return agentFailed(status, generation, e);
        }
    }

    /**
     * Reads the agent's volume first and states the desired one only when needed: when the agent lacks it or has
     * nothing running for it, when the spec changed, or when a failure is due for a retry.
     */
    private VolumeStatus converge(AgentClient agent, RootVolume volume, boolean specChanged)
            throws AgentCallException {
        String name = AgentNames.of(volume);
        Optional<VolumeStatus> observed = agent.getVolume(name);
        boolean put = observed.isEmpty() || specChanged || switch (observed.get().phase()) {
            case Pending -> true;
            case Downloading, Populating, Ready -> false;
            case Failed -> retries.tryAttempt(name);
        };
        if (!put) {
            return observed.get();
        }
        retries.attempted(name);
        return agent.putVolume(name, desiredVolume(volume.getSpec()));
    }

    static VolumeRequest desiredVolume(RootVolumeSpec spec) {
        return new VolumeRequest(spec.getImage().getUrl(), spec.getImage().getSha256(),
                RootVolumeSpecCheck.sizeBytes(spec).longValueExact(), spec.getStorage(), spec.getReprovisionToken());
    }

    /** Copies the agent's view into status; decides when to look again. */
    private Duration mirror(RootVolumeStatus status, long generation, VolumeStatus observed) {
        status.setDevicePath(observed.devicePath());
        status.setImageSha256(observed.imageSha256());
        status.setBytesDone(observed.bytesDone());
        status.setBytesTotal(observed.bytesTotal());
        status.setPopulatedToken(observed.populatedToken());
        switch (observed.phase()) {
            case Pending, Downloading -> {
                conditions.set(status, generation, ConditionType.ImageCached, false, Reason.DOWNLOADING,
                        "fetching and verifying the image");
                conditions.set(status, generation, ConditionType.Populated, false, Reason.IN_PROGRESS,
                        "waiting for the image");
                return notReady(status, generation, RootVolumePhase.Downloading, Reason.DOWNLOADING,
                        progress("downloading the image", observed), POLL_WHILE_WORKING);
            }
            case Populating -> {
                conditions.set(status, generation, ConditionType.ImageCached, true, Reason.IMAGE_CACHED,
                        "image " + observed.imageSha256() + " is cached on the node");
                conditions.set(status, generation, ConditionType.Populated, false, Reason.POPULATING,
                        progress("copying the image into the volume", observed));
                return notReady(status, generation, RootVolumePhase.Populating, Reason.POPULATING,
                        progress("copying the image into the volume", observed), POLL_WHILE_WORKING);
            }
            case Ready -> {
                conditions.set(status, generation, ConditionType.ImageCached, true, Reason.IMAGE_CACHED,
                        "image " + observed.imageSha256() + " is cached on the node");
                conditions.set(status, generation, ConditionType.Populated, true, Reason.POPULATED,
                        "the volume holds image " + observed.imageSha256());
                status.setPhase(RootVolumePhase.Ready);
                conditions.set(status, generation, ConditionType.Ready, true, Reason.VOLUME_READY,
                        "volume " + observed.devicePath() + " is populated");
                return RECHECK_WHEN_READY;
            }
            default -> {
                AgentError error = observed.error() != null ? observed.error()
                        : new AgentError(AgentErrorReasons.POPULATE_FAILED, "the agent reports the volume failed");
                if (isImageProblem(error.reason())) {
                    conditions.set(status, generation, ConditionType.ImageCached, false, error.reason(),
                            error.message());
                }
                return fail(status, generation, error.reason(), error.message(), RETRY_AFTER_FAILURE);
            }
        }
    }

    private Duration agentFailed(RootVolumeStatus status, long generation, AgentCallException e) {
        if (e.unreachable()) {
            return notReady(status, generation, status.getPhase(), Reason.NODE_UNREACHABLE, e.getMessage(),
                    RETRY_AFTER_FAILURE);
        }
        return fail(status, generation, e.error().reason(), e.error().message(), RETRY_AFTER_FAILURE);
    }

    private Duration fail(RootVolumeStatus status, long generation, String reason, String message, Duration next) {
        return notReady(status, generation, RootVolumePhase.Failed, reason, message, next);
    }

    private Duration notReady(RootVolumeStatus status, long generation, RootVolumePhase phase, String reason,
                              String message, Duration next) {
        status.setPhase(phase == null ? RootVolumePhase.Pending : phase);
        conditions.set(status, generation, ConditionType.Ready, false, reason, message);
        return next;
    }

    private static boolean isImageProblem(String reason) {
        return AgentErrorReasons.CHECKSUM_MISMATCH.equals(reason)
                || AgentErrorReasons.CHECKSUM_UNAVAILABLE.equals(reason)
                || AgentErrorReasons.IMAGE_NOT_FOUND.equals(reason)
                || AgentErrorReasons.DOWNLOAD_FAILED.equals(reason)
                || AgentErrorReasons.UNSUPPORTED_IMAGE_URL.equals(reason);
    }

    private static String progress(String what, VolumeStatus observed) {
        if (observed.bytesTotal() <= 0) {
            return what;
        }
        return String.format("%s: %d of %d MiB", what, observed.bytesDone() >> 20, observed.bytesTotal() >> 20);
    }

    @Override
    public DeleteControl cleanup(RootVolume volume, Context<RootVolume> context) {
        retries.forget(AgentNames.of(volume));
        return cleanup.remove(volume, volume.getStatus() == null ? null : volume.getStatus().getNodeName(),
                "the volume", AgentClient::deleteVolume);
    }
}
