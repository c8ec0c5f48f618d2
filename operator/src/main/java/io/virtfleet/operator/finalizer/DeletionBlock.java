package io.virtfleet.operator.finalizer;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.crds.v1alpha1.ConditionedStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a deletion cannot finish: the condition {@code DeletionBlocked=True} with the cause as its reason, and a
 * Warning Event with the same reason and message. The message names no moment that changes between attempts, so
 * every attempt counts up one Event rather than adding another, and the status is patched only when the condition
 * changes (a cleanup returns no status of its own to JOSDK, so this writes it).
 */
public final class DeletionBlock {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionBlock.class);

    private final KubernetesClient client;
    private final Conditions conditions;
    private final EventRecorder events;

    public DeletionBlock(KubernetesClient client, Conditions conditions, EventRecorder events) {
        this.client = client;
        this.conditions = conditions;
        this.events = events;
    }

    public <S extends ConditionedStatus> void record(CustomResource<?, S> object, String reason, String message) {
        events.warning(object, reason, message);
        S status = object.getStatus();
        String before = Serialization.asJson(status);
        conditions.set(status, object.getMetadata().getGeneration(), ConditionType.DeletionBlocked, true, reason,
                message);
        if (before.equals(Serialization.asJson(status))) {
            return;
        }
        LOG.atWarn().addKeyValue("kind", object.getKind()).addKeyValue("reason", reason)
                .log("deletion blocked: {}", message);
        CustomResource<?, S> patch = client.getKubernetesSerialization().clone(object);
        // The operator is the only status writer: no optimistic lock, as JOSDK's own status patches.
        patch.getMetadata().setResourceVersion(null);
        client.resource(patch).patchStatus();
    }
}
