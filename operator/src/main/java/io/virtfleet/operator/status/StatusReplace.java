package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes a reconcile's status as a whole (PUT of the status subresource), never as a patch computed from the
 * reconcile's copy. That copy comes from the informer and may not yet hold the previous reconcile's write; JOSDK's
 * non-SSA {@code patchStatus} sends a JSON Patch diffed against it without a resourceVersion, so fields the previous
 * write changed are either kept (a status mixing two reconciles, e.g. phase Downloading next to token 2) or addressed
 * where they no longer exist (the API answers 422; the Fabric8 mock API never answers, the reconcile hangs). A whole
 * status from the latest reconcile is always coherent: it is derived from the agent's current view.
 */
public final class StatusReplace {
    private StatusReplace() {
    }

    /** Replaces the object's status on the API server with {@code object}'s; the rest of the object is untouched. */
    public static <R extends HasMetadata> void write(KubernetesClient client, R object) {
        // No optimistic lock: reconciles of one object never overlap, and the newest one describes the object.
        object.getMetadata().setResourceVersion(null);
        client.resource(object).updateStatus();
    }
}
