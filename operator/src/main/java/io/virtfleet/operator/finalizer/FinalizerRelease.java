package io.virtfleet.operator.finalizer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The admin's way out of a deletion whose node is gone for good: the annotation {@value #ANNOTATION}, whose value
 * must name the node the object is bound to (saying which host's leftovers the admin takes over). It releases the
 * finalizer only once that node has been unreachable for the grace period, and then records a Warning Event naming
 * everything that stays on the node, so nothing is lost track of silently. Before the grace period it does nothing
 * but say when it will apply; on a node that answers it never applies.
 */
public final class FinalizerRelease {
    public static final String ANNOTATION = "virtfleet.io/release-finalizer";
    private static final Logger LOG = LoggerFactory.getLogger(FinalizerRelease.class);

    private final EventRecorder events;
    private final Duration grace;
    private final Clock clock;

    /** @param grace how long a node must have been unreachable before the annotation releases an object bound to it */
    public FinalizerRelease(EventRecorder events, Duration grace, Clock clock) {
        this.events = events;
        this.grace = grace;
        this.clock = clock;
    }

    /** Whether an admin asked to release the object (whatever the annotation's value). */
    public static boolean requested(HasMetadata object) {
        return value(object).isPresent();
    }

    /**
     * Decides for an object whose node has been unreachable since {@code since}.
     *
     * @param leftovers what stays on the node when the finalizer goes, for the Event
     * @param lookAgain when to look again while the grace period runs
     * @return empty when no release was asked for; else the finalizer's fate
     */
    public Optional<DeleteControl> decide(HasMetadata object, String node, Instant since, String leftovers,
                                          Duration lookAgain) {
        Optional<String> asked = value(object);
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        if (!asked.get().equals(node)) {
            events.warning(object, Reason.RELEASE_REFUSED, ANNOTATION + " must name the node the object is bound to ("
                    + node + "), not '" + asked.get() + "'");
            return Optional.of(DeleteControl.noFinalizerRemoval().rescheduleAfter(lookAgain.toMillis()));
        }
        Instant releasable = since.plus(grace);
        Instant now = clock.instant();
        if (now.isBefore(releasable)) {
            events.warning(object, Reason.RELEASE_PENDING, "release asked by " + ANNOTATION + "; the finalizer goes at "
                    + releasable + ", once node " + node + " has been unreachable for " + grace + " (since " + since
                    + "), if it does not answer before");
            Duration remaining = Duration.between(now, releasable);
            return Optional.of(DeleteControl.noFinalizerRemoval()
                    .rescheduleAfter(Math.max(1, Math.min(remaining.toMillis(), lookAgain.toMillis()))));
        }
        String message = "finalizer released by " + ANNOTATION + ": node " + node + " unreachable since " + since
                + " (grace " + grace + "); left on node " + node + ", to remove by hand if it returns: " + leftovers;
        LOG.atWarn().addKeyValue("kind", object.getKind()).addKeyValue("node", node)
                .addKeyValue("reason", Reason.FINALIZER_RELEASED).log(message);
        events.warning(object, Reason.FINALIZER_RELEASED, message);
        return Optional.of(DeleteControl.defaultDelete());
    }

    /** On a node that answers the cleanup runs (or says what blocks it): the annotation cannot apply. */
    public void refuseWhileReachable(HasMetadata object, String node) {
        if (requested(object)) {
            events.warning(object, Reason.RELEASE_REFUSED, ANNOTATION + " applies only to a node that does not "
                    + "answer; node " + node + " answers, so its cleanup must finish (the DeletionBlocked condition "
                    + "says what blocks it)");
        }
    }

    private static Optional<String> value(HasMetadata object) {
        return Optional.ofNullable(object.getMetadata().getAnnotations()).map(a -> a.get(ANNOTATION))
                .map(String::strip);
    }
}
