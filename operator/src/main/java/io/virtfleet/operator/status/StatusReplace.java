package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

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

    /**
     * Replaces the object's status with {@code object}'s and puts the object the API answered into the primary
     * informer's cache (JOSDK's temporary resource cache), so the next reconcile of the object starts from this write
     * even when the informer has not seen it yet; without that, it would find the status changed again and write it
     * once more (only the conditions' times differing).
     *
     * <p>The write is locked on the resourceVersion the reconcile read, as the cache requires. A conflict means the
     * object changed since (its spec, labels or finalizers: the operator is the only status writer and reconciles of
     * one object never overlap, so never a newer status); JOSDK then waits until the informer holds the newer
     * version and writes the same status over it. The status keeps the observedGeneration it was derived from, so it
     * never claims the newer spec, whose own reconcile follows from the change's event.
     *
     * @return the object as the API holds it after the write
     */
    public static <R extends HasMetadata> R write(Context<R> context, R object) {
        // The status subresource takes only the status from the body: the newer spec and metadata stay as they are.
        return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(object, context, newer -> object);
    }

    /**
     * Replaces the object's status on the API server with {@code object}'s, without a lock and without caching the
     * write, for a caller that has no reconcile {@link Context}.
     */
    public static <R extends HasMetadata> void write(KubernetesClient client, R object) {
        // No optimistic lock: reconciles of one object never overlap, and the newest one describes the object.
        object.getMetadata().setResourceVersion(null);
        client.resource(object).updateStatus();
    }
}
