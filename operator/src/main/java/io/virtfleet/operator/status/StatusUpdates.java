package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.metrics.PhaseGauges;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Ends a reconcile of one kind: writes its {@link Outcome}, writes the status only when it changed, as a whole and into
 * the informer's cache for the next reconcile ({@link StatusReplace}), and records an Event for a change a person may
 * want in the object's history: a Warning whenever the object failed, was refused or its node cannot be reached, a
 * Normal Event only when it reaches a settled phase (a VM Running or Stopped, a volume Ready). Steps on the way
 * (Provisioning, Downloading, Starting) are in the status and the operator's log, not in Events: an Event is an API
 * write, and one per step would be most of what a VM costs the API server (docs/operator-decisions.md). An unexpected
 * exception ends the same way, as {@code Ready=False} with reason {@value Reason#RECONCILE_ERROR} (JOSDK's
 * updateErrorStatus).
 */
public final class StatusUpdates<R extends HasMetadata, S extends ConditionedStatus, P extends Enum<P>> {
    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdates.class);
    private final OutcomeWriter<S, P> writer;
    private final EventRecorder events;
    private final Function<S, P> phase;
    private final P failed;
    private final PhaseGauges<P> gauges;
    private final BiPredicate<R, P> normalEventWorthy;

    /**
     * @param failed            the kind's Failed phase: its Events are Warnings
     * @param gauges            counts objects by the phase each reconcile concludes
     * @param normalEventWorthy whether arriving in this phase deserves a Normal Event for this object
     */
    public StatusUpdates(OutcomeWriter<S, P> writer, EventRecorder events, Function<S, P> phase, P failed,
                         PhaseGauges<P> gauges, BiPredicate<R, P> normalEventWorthy) {
        this.writer = writer;
        this.events = events;
        this.phase = phase;
        this.failed = failed;
        this.gauges = gauges;
        this.normalEventWorthy = normalEventWorthy;
    }

    /** The object is gone (its cleanup ended): it no longer counts in any phase. */
    public void forget(R object) {
        gauges.forget(key(object));
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /**
     * @param change  the status as it was when the reconcile began
     * @param context the reconcile's: the status is written, when it changed, as a whole and locked on the
     *                resourceVersion the reconcile read, and the written object is cached for the next reconcile
     *                ({@link StatusReplace#write(Context, HasMetadata)})
     */
    public UpdateControl<R> conclude(R object, S status, StatusChange change, long generation, Outcome<P> outcome,
                                     Context<R> context) {
        return conclude(object, status, change, generation, outcome, changed -> StatusReplace.write(context, changed));
    }

    /**
     * As {@link #conclude(HasMetadata, ConditionedStatus, StatusChange, long, Outcome, Context)}, for a caller without
     * the reconcile's context: the write is neither locked nor cached, so a reconcile that starts before the
     * informer sees it may write the same status again.
     */
    public UpdateControl<R> conclude(R object, S status, StatusChange change, long generation, Outcome<P> outcome,
                                     KubernetesClient client) {
        return conclude(object, status, change, generation, outcome, changed -> StatusReplace.write(client, changed));
    }

    private UpdateControl<R> conclude(R object, S status, StatusChange change, long generation, Outcome<P> outcome,
                                      Consumer<R> write) {
        Duration next = writer.write(status, generation, outcome);
        P now = phase.apply(status);
        // Warning: failed, refused, or the node cannot be reached (Unknown); Normal otherwise.
        boolean warning = now == failed || Reason.isRefusal(status) || outcome.ready() == ConditionStatus.Unknown;
        change.announce(warning || normalEventWorthy.test(object, now) ? events : null, object, status, now,
                warning);
        gauges.record(key(object), now);
        if (change.changed(status)) {
            write.accept(object);
        }
        return UpdateControl.<R>noUpdate().rescheduleAfter(next);
    }

    /**
     * The exception becomes the Ready condition and a Warning Event; the same error again writes nothing. JOSDK
     * keeps retrying with its backoff either way. The write is locked and cached as {@link #conclude}'s.
     */
    public ErrorStatusUpdateControl<R> error(R object, S status, long generation, Exception e, Context<R> context) {
        return error(object, status, generation, e, changed -> StatusReplace.write(context, changed));
    }

    /** As {@link #error(HasMetadata, ConditionedStatus, long, Exception, Context)}, neither locked nor cached. */
    public ErrorStatusUpdateControl<R> error(R object, S status, long generation, Exception e,
                                            KubernetesClient client) {
        return error(object, status, generation, e, changed -> StatusReplace.write(client, changed));
    }

    private ErrorStatusUpdateControl<R> error(R object, S status, long generation, Exception e, Consumer<R> write) {
        StatusChange change = StatusChange.from(status, phase.apply(status));
        writer.write(status, generation, Outcome.notReadyKeepingPhase(Reason.RECONCILE_ERROR, describe(e), null));
        P now = phase.apply(status);
        change.announce(events, object, status, now, true);
        gauges.record(key(object), now);
        if (change.changed(status)) {
            try {
                write.accept(object);
            } catch (KubernetesClientException | OperatorException writeFailed) {
                // The reconcile failed already and JOSDK retries it; the next attempt writes the status again.
                LOG.atWarn().log("status not written: {}", writeFailed.getMessage());
            }
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    static String describe(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "(no message)" : e.getMessage();
        return "reconcile failed with " + e.getClass().getSimpleName() + ": " + message;
    }
}
