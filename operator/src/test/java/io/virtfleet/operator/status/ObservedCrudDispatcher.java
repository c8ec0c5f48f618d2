package io.virtfleet.operator.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Fabric8 mock API's CRUD dispatcher, observed: it records every write of a status subresource with the code it
 * answered, and can hold watch events back, as a busy API server or a slow watch connection does, so a test decides
 * whether the informer has seen a write when the next reconcile starts. It also refuses a status PUT whose
 * resourceVersion is not the object's (409), as a real API server does and the mock (7.5.2) does not: it checks the
 * version of the stored object against itself on the status path.
 */
final class ObservedCrudDispatcher extends KubernetesCrudDispatcher {
    /** A PUT or PATCH of a status subresource and the HTTP code it got. */
    record StatusWrite(String method, String path, int code) {
    }

    private final List<StatusWrite> statusWrites = new CopyOnWriteArrayList<>();
    private final List<Runnable> heldEvents = new ArrayList<>();
    private boolean holding;

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return recorded(request, staleStatusWrite(request).orElseGet(() -> super.handleUpdate(request)));
    }

    private Optional<MockResponse> staleStatusWrite(RecordedRequest request) {
        String path = request.getPath().split("\\?")[0];
        if (!path.endsWith("/status")) {
            return Optional.empty();
        }
        // getBytes, not getUtf8Body: reading the body would leave none for the dispatcher.
        String sent = Serialization.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
                GenericKubernetesResource.class).getMetadata().getResourceVersion();
        var stored = findResource(getKey(path.substring(0, path.length() - "/status".length())));
        if (sent == null || stored == null || sent.equals(Serialization.unmarshal(stored.getValue(),
                GenericKubernetesResource.class).getMetadata().getResourceVersion())) {
            return Optional.empty();
        }
        Status conflict = new StatusBuilder().withStatus("Failure").withCode(409).withReason("Conflict")
                .withMessage("the object has been modified; please apply your changes to the latest version").build();
        return Optional.of(new MockResponse().setResponseCode(409).setBody(Serialization.asJson(conflict)));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return recorded(request, super.handlePatch(request));
    }

    private MockResponse recorded(RecordedRequest request, MockResponse response) {
        if (request.getPath().split("\\?")[0].endsWith("/status")) {
            statusWrites.add(new StatusWrite(request.getMethod(), request.getPath(), response.code()));
        }
        return response;
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        synchronized (heldEvents) {
            if (holding) {
                heldEvents.add(() -> super.processEvent(path, pathAttributes, oldAttributes, resource, newState));
                return;
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }

    /** From now on, watchers see no change until {@link #releaseWatchEvents()}. */
    void holdWatchEvents() {
        synchronized (heldEvents) {
            holding = true;
        }
    }

    /** Sends the held events, in order, and lets the next ones through. */
    void releaseWatchEvents() {
        synchronized (heldEvents) {
            holding = false;
            heldEvents.forEach(Runnable::run);
            heldEvents.clear();
        }
    }

    List<StatusWrite> statusWrites() {
        return List.copyOf(statusWrites);
    }
}
