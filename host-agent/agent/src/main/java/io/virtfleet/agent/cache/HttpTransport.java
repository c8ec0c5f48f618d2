package io.virtfleet.agent.cache;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.AgentException.Kind;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * HTTP GET and HEAD for image downloads over OkHttp (HTTP/1.1 only, so that parallel ranged GETs are parallel
 * connections), with a {@link okhttp3.Dns} that asks the {@link SourcePolicy}: a name is resolved once, every answer
 * is checked, and the connection goes to exactly the checked addresses, so a DNS answer that changes between check and
 * connect (rebinding) cannot redirect it. TLS hostname verification stays OkHttp's default (against the URL's host).
 * Address literals never reach a {@code Dns}; they are checked here before the request.
 *
 * <p>Redirects are followed here, not by OkHttp, so that every target passes the {@link SourcePolicy} and the
 * request's {@link RedirectRule} first. The S3
 * endpoint (platform configuration) is requested through a client without the address check; its redirects are
 * checked like any other. Error messages name the caller's label (a URL without query), never the URL itself:
 * presigned URLs carry signatures.
 */
final class HttpTransport {
    static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final SourcePolicy policy;
    private final OkHttpClient checked;
    private final OkHttpClient platform;

    HttpTransport(SourcePolicy policy, Duration connectTimeout, Duration readTimeout) {
        this.policy = policy;
        this.platform = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout).readTimeout(readTimeout).writeTimeout(readTimeout)
                .followRedirects(false).followSslRedirects(false).retryOnConnectionFailure(false)
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        this.checked = platform.newBuilder().dns(this::checkedLookup).build();
    }

    /** A transient failure: the request may succeed when repeated. */
    static final class TransientFailure extends IOException {
        TransientFailure(String message) {
            super(message);
        }
    }

    /** Carries a policy refusal through OkHttp's {@code Dns} (which may throw only UnknownHostException). */
    private static final class Refused extends UnknownHostException {
        final AgentException refusal;

        Refused(AgentException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
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

    /** An answered request: status, headers and (for GET) the body. Close it. */
    record Answer(int status, Response response, Call call) implements AutoCloseable {
        String header(String name) {
            return response.header(name);
        }

        /** The announced length (Content-Length, also for HEAD); -1 when unknown. */
        long contentLength() {
            String length = response.header("Content-Length");
            try {
                return length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        InputStream body() {
            return response.body().byteStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }

    private List<InetAddress> checkedLookup(String host) throws UnknownHostException {
        try {
            return policy.lookup(host);
        } catch (AgentException e) {
            throw new Refused(e);
        }
    }

    /**
     * Sends {@code method} to {@code uri}, following up to {@value #MAX_REDIRECTS} redirects.
     *
     * @param checkPolicy whether {@code uri} itself must pass the policy (user URLs); redirect targets always must
     * @param redirects   what redirect targets must pass besides the policy
     */
    Answer send(String method, URI uri, Map<String, String> headers, String label, boolean checkPolicy,
                RedirectRule redirects) throws IOException {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            boolean check = checkPolicy || hop > 0;
            if (check) {
                policy.checkTarget(target, hop == 0 ? label : label + " (redirected to " + target.getHost() + ")");
                if (hop > 0) {
                    checkRedirect(redirects, target, label);
                }
                HttpUrl url = HttpUrl.get(target.toString());
                if (isAddressLiteral(url.host())) {
                    policy.lookup(url.host()); // OkHttp resolves literals without asking the Dns
                }
            }
            Request.Builder request = new Request.Builder().url(HttpUrl.get(target.toString())).method(method, null)
                    .header("Accept-Encoding", "identity"); // the bytes as stored: they are hashed
            headers.forEach(request::header);
            Call call = (check ? checked : platform).newCall(request.build());
            Response response;
            try {
                response = call.execute();
            } catch (Refused e) {
                throw e.refusal;
            } catch (IOException e) {
                if (e.getCause() instanceof Refused refused) {
                    throw refused.refusal;
                }
                throw e;
            }
            int status = response.code();
            if (isRedirect(status)) {
                String location = response.header("Location");
                response.close();
                if (location == null || hop >= MAX_REDIRECTS) {
                    throw failed(label + ": " + (location == null ? "redirect without Location" : "too many redirects"));
                }
                target = target.resolve(location);
                continue;
            }
            return new Answer(status, response, call);
        }
    }

    private static void checkRedirect(RedirectRule redirects, URI target, String label) {
        try {
            redirects.check(ImageUrl.parse(target.toString()));
        } catch (AgentException e) {
            throw new AgentException(e.kind(), e.reason(), "image " + label + " redirects: " + e.getMessage(), e);
        }
    }

    /**
     * GETs {@code [start, endExclusive)} of {@code uri} (-1: to the end) pinned to the object's version when it has a
     * strong ETag. The whole object is a plain GET; a server that ignores a range and sends everything is read past
     * the first {@code start} bytes.
     */
    Body openRange(URI uri, RemoteObject object, long start, long endExclusive, String label, boolean checkPolicy,
                   RedirectRule redirects) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        boolean whole = start == 0 && (endExclusive < 0 || endExclusive == object.sizeBytes());
        if (!whole) {
            headers.put("Range", "bytes=" + start + "-" + (endExclusive >= 0 ? String.valueOf(endExclusive - 1) : ""));
        }
        if (object.ifMatch() != null) {
            headers.put("If-Match", object.ifMatch());
        }
        Answer answer = send("GET", uri, headers, label, checkPolicy, redirects);
        try {
            if (answer.status() == 206) {
                Matcher range = CONTENT_RANGE.matcher(String.valueOf(answer.header("Content-Range")));
                if (!range.matches() || Long.parseLong(range.group(1)) != start) {
                    throw failed(label + ": the server answered range " + answer.header("Content-Range")
                            + " to a request from byte " + start);
                }
                return new Body(answer.body(), answer.call()::cancel);
            }
            if (answer.status() == 200) {
                InputStream in = answer.body();
                in.skipNBytes(start); // EOFException (transient) when the body is shorter
                return new Body(in, answer.call()::cancel);
            }
            throw statusFailure(answer.status(), label);
        } catch (IOException | RuntimeException e) {
            answer.close();
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

    /** OkHttp's canonical host: IPv6 literals without brackets, IPv4 literals dotted. */
    static boolean isAddressLiteral(String host) {
        return host.contains(":") || IPV4_LITERAL.matcher(host).matches();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
