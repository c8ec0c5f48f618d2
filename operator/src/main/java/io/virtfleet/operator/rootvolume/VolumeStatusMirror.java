package io.virtfleet.operator.rootvolume;

import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.VolumeStatus;
import io.virtfleet.crds.v1alpha1.RootVolumePhase;
import io.virtfleet.crds.v1alpha1.RootVolumeStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.time.Duration;
import java.util.Set;

/**
 * Turns the agent's view of a volume into the RootVolume's status figures and conditions, and its conclusion into an
 * {@link Outcome} (phase, Ready, when to look again).
 */
final class VolumeStatusMirror {
    /** Refresh of progress figures while work runs; a phase change is noticed at once by {@link VolumeProgressWatch}. */
    static final Duration POLL_WHILE_WORKING = Duration.ofSeconds(1);
    private static final Set<String> IMAGE_PROBLEMS = Set.of(AgentErrorReasons.CHECKSUM_MISMATCH,
            AgentErrorReasons.CHECKSUM_UNAVAILABLE, AgentErrorReasons.IMAGE_NOT_FOUND,
            AgentErrorReasons.DOWNLOAD_FAILED, AgentErrorReasons.UNSUPPORTED_IMAGE_URL);

    private final Conditions conditions;
    private final Duration recheckWhenReady;

    VolumeStatusMirror(Conditions conditions, Duration recheckWhenReady) {
        this.conditions = conditions;
        this.recheckWhenReady = recheckWhenReady;
    }

    Outcome<RootVolumePhase> mirror(RootVolumeStatus status, long generation, VolumeStatus observed) {
        status.setDevicePath(observed.devicePath());
        status.setImageSha256(observed.imageSha256());
        if (observed.imageVerified() != null) {
            status.setImageVerified(observed.imageVerified());
        }
        status.setBytesDone(observed.bytesDone());
        status.setBytesTotal(observed.bytesTotal());
        status.setPopulatedToken(observed.populatedToken());
        switch (observed.phase()) {
            case Pending, Downloading -> {
                conditions.set(status, generation, ConditionType.ImageCached, false, Reason.DOWNLOADING,
                        "fetching and verifying the image");
                conditions.set(status, generation, ConditionType.Populated, false, Reason.IN_PROGRESS,
                        "waiting for the image");
                return Outcome.notReady(RootVolumePhase.Downloading, Reason.DOWNLOADING,
                        progress("downloading the image", observed), POLL_WHILE_WORKING);
            }
            case Populating -> {
                imageCached(status, generation, observed);
                conditions.set(status, generation, ConditionType.Populated, false, Reason.POPULATING,
                        progress("copying the image into the volume", observed));
                return Outcome.notReady(RootVolumePhase.Populating, Reason.POPULATING,
                        progress("copying the image into the volume", observed), POLL_WHILE_WORKING);
            }
            case Ready -> {
                imageCached(status, generation, observed);
                conditions.set(status, generation, ConditionType.Populated, true, Reason.POPULATED,
                        "the volume holds image " + observed.imageSha256()
                                + (observed.populatedToken() == null ? "" : ", token " + observed.populatedToken()));
                return Outcome.ready(RootVolumePhase.Ready, Reason.VOLUME_READY,
                        "volume " + observed.devicePath() + " is populated", recheckWhenReady);
            }
            default -> {
                AgentError error = observed.error() != null ? observed.error()
                        : new AgentError(AgentErrorReasons.POPULATE_FAILED, "the agent reports the volume failed");
                if (IMAGE_PROBLEMS.contains(error.reason())) {
                    conditions.set(status, generation, ConditionType.ImageCached, false, error.reason(),
                            error.message());
                }
                return Outcome.notReady(RootVolumePhase.Failed, error.reason(), error.message(),
                        RootVolumeReconciler.RETRY_AFTER_FAILURE);
            }
        }
    }

    private void imageCached(RootVolumeStatus status, long generation, VolumeStatus observed) {
        conditions.set(status, generation, ConditionType.ImageCached, true, Reason.IMAGE_CACHED,
                "image " + observed.imageSha256() + " is cached on the node"
                        + (Boolean.FALSE.equals(observed.imageVerified()) ? " (no checksum existed: keyed by URL + ETag)" : ""));
    }

    private static String progress(String what, VolumeStatus observed) {
        if (observed.bytesTotal() <= 0) {
            return what;
        }
        return String.format("%s: %d of %d MiB", what, observed.bytesDone() >> 20, observed.bytesTotal() >> 20);
    }
}
