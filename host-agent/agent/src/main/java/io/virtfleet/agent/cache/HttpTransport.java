package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP GET and HEAD for image downloads over the JDK's {@link HttpURLConnection}: blocking streams read straight into
 * the caller's buffers with keep-alive reuse. (Measured on a 1 GiB object over loopback, it delivered 1.3-1.7× the
 * throughput of {@code java.net.http.HttpClient}'s publisher pipeline and of the MinIO SDK's OkHttp stream.)
 *
 * <p>Redirects are followed here, not by the JDK, so that every target passes the {@link SourcePolicy} first. Error
 * messages name the caller's label (a URL without query), never the URL itself: presigned URLs carry signatures.
 */
final class HttpTransport {
    static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final SourcePolicy policy;
    private final int connectMillis;
    private final int readMillis;

    HttpTransport(SourcePolicy policy, Duration connectTimeout, Duration readTimeout) {
        this.policy = policy;
        this.connectMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readMillis = Math.toIntExact(readTimeout.toMillis());
    }

    /** A transient failure: the request may succeed when repeated. */
    static final class TransientFailure extends IOException {
        TransientFailure(String message) {
            super(message);
        }
    }

    /** A response body; {@link #abort} drops the connection (from any thread), {@link #close} ends normally. */
    static final class Body extends FilterInputStream {
        private final Runnable abort;

        Body(InputStream in, Runnable abort) {
            super(in);
            this.abort = abort;
        }

        void abort() {
            abort.run();
        }
    }

    /** An answered request: status, headers and (for GET) the body. */
    record Answer(int status, HttpURLConnection connection) {
        String header(String name) {
            return connection.getHeaderField(name);
        }

        long contentLength() {
            return connection.getContentLengthLong();
        }
    }

    /**
     * Sends {@code method} to {@code uri}, following up to {@value #MAX_REDIRECTS} redirects.
     *
     * @param checkPolicy whether {@code uri} itself must pass the policy (user URLs); redirect targets always must
     */
    Answer send(String method, URI uri, Map<String, String> headers, String label, boolean checkPolicy)
            throws IOException {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            if (checkPolicy || hop > 0) {
                policy.checkTarget(target, hop == 0 ? label : label + " (redirected to " + target.getHost() + ")");
            }
            HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(connectMillis);
            connection.setReadTimeout(readMillis);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Accept-Encoding", "identity"); // the bytes as stored: they are hashed
            headers.forEach(connection::setRequestProperty);
            int status = connection.getResponseCode();
            if (isRedirect(status)) {
                String location = connection.getHeaderField("Location");
                connection.disconnect();
                if (location == null || hop >= MAX_REDIRECTS) {
                    throw failed(label + ": " + (location == null ? "redirect without Location" : "too many redirects"));
                }
                target = target.resolve(location);
                continue;
            }
            return new Answer(status, connection);
        }
    }

    /**
     * GETs {@code [start, endExclusive)} of {@code uri} (-1: to the end) pinned to the object's version when it has a
     * strong ETag. The whole object is a plain GET; a server that ignores a range and sends everything is read past
     * the first {@code start} bytes.
     */
    Body openRange(URI uri, RemoteObject object, long start, long endExclusive, String label, boolean checkPolicy)
            throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        boolean whole = start == 0 && (endExclusive < 0 || endExclusive == object.sizeBytes());
        if (!whole) {
            headers.put("Range", "bytes=" + start + "-" + (endExclusive >= 0 ? String.valueOf(endExclusive - 1) : ""));
        }
        if (object.ifMatch() != null) {
            headers.put("If-Match", object.ifMatch());
        }
        Answer answer = send("GET", uri, headers, label, checkPolicy);
        HttpURLConnection connection = answer.connection();
        try {
            if (answer.status() == 206) {
                Matcher range = CONTENT_RANGE.matcher(String.valueOf(answer.header("Content-Range")));
                if (!range.matches() || Long.parseLong(range.group(1)) != start) {
                    throw failed(label + ": the server answered range " + answer.header("Content-Range")
                            + " to a request from byte " + start);
                }
                return new Body(connection.getInputStream(), connection::disconnect);
            }
            if (answer.status() == 200) {
                InputStream in = connection.getInputStream();
                in.skipNBytes(start); // EOFException (transient) when the body is shorter
                return new Body(in, connection::disconnect);
            }
            throw statusFailure(answer.status(), label);
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    /**
     * Classifies an unexpected status: 404/410 → ImageNotFound, 412 → the object changed, 401/403 and other 4xx →
     * DownloadFailed, all thrown from here as permanent; 408/429/5xx are transient and returned for the caller to throw.
     */
    static IOException statusFailure(int status, String label) {
        if (status == 404 || status == 410) {
            throw AgentException.notFound(AgentErrorReasons.IMAGE_NOT_FOUND, "image " + label + " does not exist (HTTP "
                    + status + ")");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientFailure(label + ": HTTP " + status);
        }
        if (status == 412) {
            throw failed("image " + label + " changed on the server while it was being downloaded (HTTP 412)");
        }
        if (status == 401 || status == 403) {
            throw failed("access to " + label + " was denied (HTTP " + status + "); check the credentials");
        }
        throw failed("download of " + label + " failed: HTTP " + status);
    }

    static AgentException failed(String message) {
        return new AgentException(Kind.INTERNAL, AgentErrorReasons.DOWNLOAD_FAILED, message);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
