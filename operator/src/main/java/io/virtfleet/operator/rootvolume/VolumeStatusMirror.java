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
    /**
     * Look again while work runs and no {@link VolumeProgressWatch} poll waits for the next phase (its agent's polls
     * are all taken: the volume is in line for one, and a freed poll wakes it).
     */
    static final Duration POLL_WHILE_WORKING = Duration.ofSeconds(5);
    /** Refresh of the progress figures while a {@link VolumeProgressWatch} poll waits for the next phase. */
    static final Duration REFRESH_WHILE_WATCHED = Duration.ofSeconds(30);
    /**
     * Progress is reported in steps of a tenth of the total: a status write per step, however often the volume is
     * looked at, and never one per poll of a long download.
     */
    static final int PROGRESS_STEPS = 10;
    private static final Set<String> IMAGE_PROBLEMS = Set.of(AgentErrorReasons.CHECKSUM_MISMATCH,
            AgentErrorReasons.CHECKSUM_UNAVAILABLE, AgentErrorReasons.IMAGE_NOT_FOUND,
            AgentErrorReasons.DOWNLOAD_FAILED, AgentErrorReasons.UNSUPPORTED_IMAGE_URL,
            AgentErrorReasons.OBJECT_STORE_UNREACHABLE, AgentErrorReasons.IMAGE_TOO_LARGE,
            AgentErrorReasons.DOWNLOAD_TIMED_OUT, AgentErrorReasons.DOWNLOAD_TOO_SLOW);

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
        status.setBytesDone(reportedBytesDone(observed));
        status.setBytesTotal(observed.bytesTotal());
        status.setPopulatedToken(observed.populatedToken());
        switch (observed.phase()) {
            case Pending, Downloading -> {
                if (observed.error() != null) {
                    return retrying(status, generation, observed.error());
                }
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
                // No device path yet: the disk that filled up is the image cache's, not the pool's.
                boolean imageProblem = IMAGE_PROBLEMS.contains(error.reason())
                        || AgentErrorReasons.HOST_DISK_FULL.equals(error.reason()) && observed.devicePath() == null;
                String message = onNode(status, error);
                if (imageProblem) {
                    conditions.set(status, generation, ConditionType.ImageCached, false, error.reason(), message);
                }
                // An outage of the object store is waited out (the retry comes by itself), not a failure to fix.
                RootVolumePhase phase = AgentErrorReasons.OBJECT_STORE_UNREACHABLE.equals(error.reason())
                        ? RootVolumePhase.Downloading : RootVolumePhase.Failed;
                return Outcome.notReady(phase, error.reason(), message, RootVolumeReconciler.RETRY_AFTER_FAILURE);
            }
        }
    }

    /** A download in trouble that the agent is retrying through (the object store does not answer). */
    private Outcome<RootVolumePhase> retrying(RootVolumeStatus status, long generation, AgentError trouble) {
        String message = onNode(status, trouble) + " (the agent keeps retrying)";
        conditions.set(status, generation, ConditionType.ImageCached, false, trouble.reason(), message);
        conditions.set(status, generation, ConditionType.Populated, false, Reason.IN_PROGRESS, "waiting for the image");
        return Outcome.notReady(RootVolumePhase.Downloading, trouble.reason(), message, POLL_WHILE_WORKING);
    }

    /** Host trouble names the node, so that a person knows where to act. */
    private static String onNode(RootVolumeStatus status, AgentError error) {
        boolean hostTrouble = AgentErrorReasons.HOST_DISK_FULL.equals(error.reason())
                || AgentErrorReasons.OBJECT_STORE_UNREACHABLE.equals(error.reason());
        return hostTrouble && status.getNodeName() != null ? "node " + status.getNodeName() + ": " + error.message()
                : error.message();
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
        return String.format("%s: %d of %d MiB", what, reportedBytesDone(observed) >> 20, observed.bytesTotal() >> 20);
    }

    /** Bytes done, rounded down to a whole {@link #PROGRESS_STEPS step} of the total while work runs. */
    static long reportedBytesDone(VolumeStatus observed) {
        long total = observed.bytesTotal();
        long done = observed.bytesDone();
        if (total <= 0 || done >= total) {
            return done;
        }
        long step = Math.max(1, total / PROGRESS_STEPS);
        return done - done % step;
    }
}
