package io.virtfleet.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtfleet.agent.contract.AgentError;
import io.virtfleet.agent.contract.AgentPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** A plain HTTP client for the agent's API, as the operator would call it. */
public final class AgentClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    public AgentClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** An HTTP answer: status code and body text. */
    public record Response(int status, String body) {
        public <T> T as(Class<T> type) {
            try {
                return AgentJson.MAPPER.readValue(body, type);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not a " + type.getSimpleName() + ": " + body, e);
            }
        }

        public AgentError error() {
            return as(AgentError.class);
        }
    }

    /** The volume routes. */
    public Resource volumes() {
        return new Resource(AgentPaths::volume);
    }

    /** The domain routes. */
    public Resource domains() {
        return new Resource(AgentPaths::domain);
    }

    public Resource networks() {
        return new Resource(AgentPaths::network);
    }

    /** PUT, GET and DELETE on one kind of named resource. */
    public final class Resource {
        private final UnaryOperator<String> path;

        private Resource(UnaryOperator<String> path) {
            this.path = path;
        }

        public Response put(String name, Object request) {
            return send("PUT", path.apply(name), request);
        }

        public Response get(String name) {
            return send("GET", path.apply(name), null);
        }

        public <T> T status(String name, Class<T> type) {
            return get(name).as(type);
        }

        public Response delete(String name) {
            return send("DELETE", path.apply(name), null);
        }

        /**
         * DELETE repeated, as the operator does, while the agent answers 202 (a guest shutting down first); the last
         * answer. The test guests never obey ACPI, so this takes the agent's shutdown timeout.
         */
        public Response deleteUntilGone(String name) {
            return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> delete(name), response -> response.status() != 202);
        }
    }

    /** Sends a request; {@code token} null leaves out the Authorization header. */
    public Response send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(AgentJson.MAPPER.writeValueAsBytes(body)))
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
