package io.virtfleet.operator.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentPaths;
import io.virtfleet.agent.contract.CacheListing;
import io.virtfleet.agent.contract.PrefetchRequest;
import io.virtfleet.agent.contract.PrefetchStatus;
import io.virtfleet.agent.contract.CloneRequest;
import io.virtfleet.agent.contract.RestoreRequest;
import io.virtfleet.agent.contract.SnapshotRequest;
import io.virtfleet.agent.contract.SnapshotStatus;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.agent.contract.NetworkRequest;
import io.virtfleet.agent.contract.NetworkStatus;
import io.virtfleet.agent.contract.HostCapacity;
import io.virtfleet.agent.contract.VolumeRequest;
import io.virtfleet.agent.contract.VolumePhase;
import io.virtfleet.agent.contract.VolumeStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Calls one node's host agent. Every call is idempotent, so a caller may simply repeat it on the next reconcile. */
public final class AgentClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Snapshots, restores and clones copy data within the call (a 20 GiB volume takes ~30 s at the rates measured here). */
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final AgentEndpoint endpoint;
    private final HttpClient http;
    private final MeterRegistry metrics;

    AgentClient(AgentEndpoint endpoint, HttpClient http, MeterRegistry metrics) {
        this.endpoint = endpoint;
        this.http = http;
        this.metrics = metrics;
    }

    public AgentEndpoint endpoint() {
        return endpoint;
    }

    public String nodeName() {
        return endpoint.nodeName();
    }

    /**
     * A WebSocket to one of the agent's stream routes (the consoles), over the same transport (mutual TLS) and with
     * the same token as every call; {@code ws}/{@code wss} follow the endpoint's scheme.
     */
    public java.util.concurrent.CompletableFuture<java.net.http.WebSocket> openWebSocket(
            String path, java.net.http.WebSocket.Listener listener) {
        URI base = endpoint.baseUri();
        URI uri = URI.create(("https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws") + "://" + base.getRawAuthority()
                + path);
        java.net.http.WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (endpoint.token() != null) {
            builder.header("Authorization", "Bearer " + endpoint.token());
        }
        return builder.buildAsync(uri, listener);
    }

    public VolumeStatus putVolume(String name, VolumeRequest request) throws AgentCallException {
        return call("PUT", AgentPaths.volume(name), request, VolumeStatus.class).orElseThrow();
    }

    public Optional<VolumeStatus> getVolume(String name) throws AgentCallException {
        return call("GET", AgentPaths.volume(name), null, VolumeStatus.class);
    }

    /** Deletes the volume only if the agent recorded it for {@code ownerUid}; another owner's is refused. */
    public void deleteVolume(String name, String ownerUid) throws AgentCallException {
        call("DELETE", AgentPaths.volume(name) + ownerQuery(ownerUid), null, Void.class);
    }

    /** Captures a volume (synchronous: the agent answers once the data is on disk) or confirms the capture. */
    public SnapshotStatus putSnapshot(String name, SnapshotRequest request) throws AgentCallException {
        return call("PUT", AgentPaths.snapshot(name), request, SnapshotStatus.class, COPY_TIMEOUT).orElseThrow();
    }

    public Optional<SnapshotStatus> getSnapshot(String name) throws AgentCallException {
        return call("GET", AgentPaths.snapshot(name), null, SnapshotStatus.class);
    }

    /** Deletes the snapshot's data only if the agent recorded it for {@code ownerUid}. */
    public void deleteSnapshot(String name, String ownerUid) throws AgentCallException {
        call("DELETE", AgentPaths.snapshot(name) + ownerQuery(ownerUid), null, Void.class);
    }

    /** Replaces the volume's content with a snapshot's; refused (VolumeInUse) while a running domain uses it. */
    public VolumeStatus restoreVolume(String name, RestoreRequest request) throws AgentCallException {
        return call("POST", AgentPaths.volumeRestore(name), request, VolumeStatus.class, COPY_TIMEOUT).orElseThrow();
    }

    /** Creates the volume as a copy of a volume or snapshot on the same node, or confirms the clone. */
    public VolumeStatus cloneVolume(String name, CloneRequest request) throws AgentCallException {
        return call("PUT", AgentPaths.volumeClone(name), request, VolumeStatus.class, COPY_TIMEOUT).orElseThrow();
    }

    public DomainStatus putDomain(String name, DomainRequest request) throws AgentCallException {
        return call("PUT", AgentPaths.domain(name), request, DomainStatus.class).orElseThrow();
    }

    public Optional<DomainStatus> getDomain(String name) throws AgentCallException {
        return call("GET", AgentPaths.domain(name), null, DomainStatus.class);
    }

    /**
     * Pauses a running domain (libvirt suspend) if the agent recorded it for {@code ownerUid}; a paused one stays
     * paused; a stopped one is a 409 conflict.
     */
    public DomainStatus suspendDomain(String name, String ownerUid) throws AgentCallException {
        return call("POST", AgentPaths.domainSuspend(name) + ownerQuery(ownerUid), null, DomainStatus.class)
                .orElseThrow();
    }

    /** Continues a paused domain of {@code ownerUid}; a running one keeps running; a stopped one is a 409 conflict. */
    public DomainStatus resumeDomain(String name, String ownerUid) throws AgentCallException {
        return call("POST", AgentPaths.domainResume(name) + ownerQuery(ownerUid), null, DomainStatus.class)
                .orElseThrow();
    }

    /**
     * Deletes the domain only if the agent recorded it for {@code ownerUid}; another owner's is refused. A running
     * guest is shut down first (202 with the domain's status; the agent finishes the removal by itself), so the
     * caller repeats the call until it answers empty (204).
     *
     * @return the domain's status while its guest shuts down; empty once it is gone
     */
    public Optional<DomainStatus> deleteDomain(String name, String ownerUid) throws AgentCallException {
        return call("DELETE", AgentPaths.domain(name) + ownerQuery(ownerUid), null, DomainStatus.class);
    }

    public NetworkStatus putNetwork(String name, NetworkRequest request) throws AgentCallException {
        return call("PUT", AgentPaths.network(name), request, NetworkStatus.class).orElseThrow();
    }

    public Optional<NetworkStatus> getNetwork(String name) throws AgentCallException {
        return call("GET", AgentPaths.network(name), null, NetworkStatus.class);
    }

    /** Stops and undefines the agent's network {@code name}; absent is fine. */
    public void deleteNetwork(String name) throws AgentCallException {
        call("DELETE", AgentPaths.network(name), null, Void.class);
    }

    /** The node's image cache: entries, budget and catalogue pins. */
    public CacheListing cacheListing() throws AgentCallException {
        return call("GET", AgentPaths.CACHE_IMAGES, null, CacheListing.class).orElseThrow();
    }

    /** Starts or joins getting an image into the node's cache (pinned under a catalogue name when the request says). */
    public PrefetchStatus prefetch(PrefetchRequest request) throws AgentCallException {
        return call("POST", AgentPaths.CACHE_PREFETCH, request, PrefetchStatus.class).orElseThrow();
    }

    /** Drops the node's pin for the catalogue image {@code name}; absent is fine. */
    public void unpinCatalogImage(String name) throws AgentCallException {
        call("DELETE", AgentPaths.cachePin(name), null, Void.class);
    }

    private static String ownerQuery(String ownerUid) {
        return ownerUid == null ? "" : "?" + AgentPaths.OWNER_UID + "="
                + java.net.URLEncoder.encode(ownerUid, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Long poll: completes with true as soon as the agent reports the volume in another phase than {@code seen},
     * with false when the wait ran out or the call failed (the next reconcile reads the state itself). Never blocks
     * the caller's thread.
     */
    public CompletableFuture<Boolean> whenVolumePhaseMoves(String name, VolumePhase seen, Duration wait) {
        String path = AgentPaths.volume(name) + "?" + AgentPaths.WAIT_WHILE_PHASE + "=" + seen.name() + "&"
                + AgentPaths.WAIT_SECONDS + "=" + wait.toSeconds();
        HttpRequest request = authorized(path, wait.plusSeconds(10)).GET().build();
        Timer.Sample sample = Timer.start(metrics);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            boolean moved = failure == null && response.statusCode() == 200 && phaseOf(response.body()) != seen;
            sample.stop(timer("GET", AgentPaths.VOLUMES, failure != null ? "unreachable"
                    : response.statusCode() == 200 ? "ok" : "error"));
            return moved;
        });
    }

    private static VolumePhase phaseOf(byte[] body) {
        try {
            return JSON.readValue(body, VolumeStatus.class).phase();
        } catch (IOException e) {
            return null;
        }
    }

    /** What the host offers: CPUs, memory, pools, cached images. */
    public HostCapacity host() throws AgentCallException {
        return call("GET", AgentPaths.HOST, null, HostCapacity.class).orElseThrow();
    }

    /** True when {@code /healthz} answers 200 within the timeout. */
    public boolean healthy(Duration timeout) {
        Timer.Sample sample = Timer.start(metrics);
        boolean ok;
        try {
            HttpRequest request = HttpRequest.newBuilder(resolve(AgentPaths.HEALTH)).timeout(timeout).GET().build();
            ok = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        sample.stop(timer("GET", AgentPaths.HEALTH, ok ? "ok" : "unreachable"));
        return ok;
    }

    /** Times every call by node, method, route and outcome (agent call latencies, and counts for the idle rate). */
    private <T> Optional<T> call(String method, String path, Object body, Class<T> answerType)
            throws AgentCallException {
        return call(method, path, body, answerType, CALL_TIMEOUT);
    }

    private <T> Optional<T> call(String method, String path, Object body, Class<T> answerType, Duration timeout)
            throws AgentCallException {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            Optional<T> answer = send(method, path, body, answerType, timeout);
            outcome = "ok";
            return answer;
        } catch (AgentCallException e) {
            outcome = e.unreachable() ? "unreachable" : "error";
            throw e;
        } finally {
            sample.stop(timer(method, path, outcome));
        }
    }

    private Timer timer(String method, String path, String outcome) {
        String route = path.startsWith(AgentPaths.VOLUMES) ? AgentPaths.VOLUMES
                : path.startsWith(AgentPaths.DOMAINS) ? AgentPaths.DOMAINS
                : path.startsWith(AgentPaths.SNAPSHOTS) ? AgentPaths.SNAPSHOTS
                : path.startsWith(AgentPaths.CACHE_PINS) ? AgentPaths.CACHE_PINS : path;
        return Timer.builder("virtfleet.agent.calls").description("calls to host agents")
                .tags("node", endpoint.nodeName(), "method", method, "route", route, "outcome", outcome)
                .register(metrics);
    }

    /** Empty on 404 of a GET; the parsed body on 2xx; an exception otherwise. */
    private <T> Optional<T> send(String method, String path, Object body, Class<T> answerType, Duration timeout)
            throws AgentCallException {
        HttpResponse<byte[]> response;
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            HttpRequest request = authorized(path, timeout)
                    .header("Content-Type", "application/json")
                    .method(method, publisher)
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw AgentCallException.unreachable(endpoint.nodeName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentCallException.unreachable(endpoint.nodeName(), e);
        }
        int status = response.statusCode();
        if (status == 404 && method.equals("GET")) {
            return Optional.empty();
        }
        if (status / 100 != 2) {
            throw AgentCallException.answered(endpoint.nodeName(), status, parseError(response));
        }
        if (answerType == Void.class || response.body().length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(response.body(), answerType));
        } catch (IOException e) {
            throw AgentCallException.answered(endpoint.nodeName(), status,
                    new AgentError("InvalidAgentAnswer", "could not read the agent's answer: " + e.getMessage()));
        }
    }

    /** A request to the agent (with its token when one is configured), answered in JSON. */
    private HttpRequest.Builder authorized(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (endpoint.token() != null) {
            builder.header("Authorization", "Bearer " + endpoint.token());
        }
        return builder;
    }

    private URI resolve(String path) {
        String base = endpoint.baseUri().toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    private static AgentError parseError(HttpResponse<byte[]> response) {
        try {
            AgentError error = JSON.readValue(response.body(), AgentError.class);
            if (error.reason() != null) {
                return error;
            }
        } catch (IOException ignored) {
            // fall through: not one of our error bodies (a proxy's page, say)
        }
        return new AgentError("AgentError" + response.statusCode(),
                new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
    }
}
