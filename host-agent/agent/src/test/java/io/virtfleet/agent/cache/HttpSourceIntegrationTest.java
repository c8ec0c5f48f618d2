package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.cachedBy;
import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.AgentErrorReasons;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache with {@code http(s)://} sources, served by a small HTTP server in this JVM that misbehaves on cue. */
class HttpSourceIntegrationTest {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));

    private HttpServer server;
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ImageCache cache;
    private Path cacheDir;
    private String base;

    /** One path's content and behaviour. */
    private static final class Served {
        final byte[] content;
        boolean ranges = true;
        boolean head = true;
        boolean chunked;
        String etag = "\"v1\"";
        String requiredQuery;
        String redirectTo;
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger cutsLeft = new AtomicInteger();
        int cutAfter;

        Served(byte[] content) {
            this.content = content;
        }
    }

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        cacheDir = dir.resolve("cache");
        cache = newCache(Set.of("127.0.0.1"));
    }

    @AfterEach
    void stop() {
        cache.close();
        server.stop(0);
    }

    @Test
    void plainHttpIsRefusedUnlessTheHostIsAllowed() {
        byte[] image = serve("/img/a.qcow2", random(1 << 20, 1)).content;
        serve("/img/a.qcow2.sha256", (sha256(image) + "  a.qcow2\n").getBytes(StandardCharsets.UTF_8));
        cache.close();
        cache = newCache(Set.of());

        assertThatThrownBy(() -> cache.fetch(ImageRequest.of(base + "/img/a.qcow2", null)))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.UNSUPPORTED_IMAGE_URL));
        assertThat(requests).isEmpty();

        cache.close();
        cache = newCache(Set.of("127.0.0.1"));
        ImageFetch fetch = cache.fetch(ImageRequest.of(base + "/img/a.qcow2", null));
        assertThat(cachedBy(fetch).path()).hasBinaryContent(image);
        assertThat(fetch.verified()).isTrue();
    }

    @Test
    void aRedirectToAMetadataOrPrivateAddressIsRefused() {
        serve("/img/evil.qcow2", new byte[0]).redirectTo = "https://169.254.169.254/latest/meta-data/iam";
        serve("/img/lan.qcow2", new byte[0]).redirectTo = "https://10.1.2.3/internal.qcow2";

        for (String path : List.of("/img/evil.qcow2", "/img/lan.qcow2")) {
            assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of(base + path, sha256(new byte[1])))))
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
                        assertThat(e.getMessage()).containsAnyOf("169.254.169.254", "10.1.2.3")
                                .contains("VIRTFLEET_AGENT_IMAGE_ALLOWED_NETWORKS");
                    });
        }
    }

    @Test
    void loopbackIsRefusedByDefaultAndAllowedByTheAllowedNetworks() {
        byte[] image = serve("/img/local.qcow2", random(1 << 20, 8)).content;
        cache.close();
        cache = new ImageCache(cacheDir, CacheSettings.DEFAULTS.withHttpHosts(Set.of("127.0.0.1"))
                .withRetry(FAST_RETRY, Duration.ofSeconds(5)), Optional.empty(), new SimpleMeterRegistry());

        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of(base + "/img/local.qcow2", sha256(image)))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED));
        assertThat(requests).isEmpty();

        cache.close();
        cache = newCache(Set.of("127.0.0.1")); // allows 127.0.0.1/32
        assertThat(cachedBy(cache.fetch(ImageRequest.of(base + "/img/local.qcow2", sha256(image)))).path())
                .hasBinaryContent(image);
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedWhateverLaterAnswersSay() throws IOException {
        byte[] image = serve("/img/named.qcow2", random(1 << 20, 9)).content;
        HttpServer rebound = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        List<String> reboundRequests = new CopyOnWriteArrayList<>();
        rebound.createContext("/", exchange -> {
            reboundRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        rebound.start();
        try {
            AtomicInteger lookups = new AtomicInteger();
            // "images.test": the first answer passes the check (127.0.0.1 is allowed), every later one points
            // elsewhere (127.0.0.2, not allowed), as a rebinding name server would answer.
            SourcePolicy.Resolver rebinding = host -> new InetAddress[]{InetAddress.getByName(
                    lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")};
            cache.close();
            CacheSettings settings = CacheSettings.DEFAULTS.withHttpHosts(Set.of("images.test"))
                    .withRetry(FAST_RETRY, Duration.ofSeconds(5)).withAllowedNetworks(List.of(Cidr.parse("127.0.0.1")));
            cache = new ImageCache(cacheDir, settings, Optional.empty(), new SimpleMeterRegistry(), rebinding);
            String url = "http://images.test:" + server.getAddress().getPort() + "/img/named.qcow2";

            try (ImageFetch fetch = cache.fetch(ImageRequest.of(url, sha256(image)))) {
                assertThat(cachedBy(fetch).path()).hasBinaryContent(image);
            }
            assertThat(lookups.get()).as("names are resolved by the policy's resolver").isPositive();

            cache.evict(sha256(image));
            cache.close();
            cache = new ImageCache(cacheDir, settings, Optional.empty(), new SimpleMeterRegistry(), rebinding);
            assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of(url, sha256(image)))))
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED);
                        assertThat(e.getMessage()).contains("127.0.0.2");
                    });
            assertThat(reboundRequests).isEmpty();
        } finally {
            rebound.stop(0);
        }
    }

    @Test
    void retriesServerErrorsAndResumesACutDownloadWithARange() {
        Served served = serve("/img/flaky.qcow2", random(3 << 20, 2));
        served.failuresLeft.set(2);
        served.cutsLeft.set(1);
        served.cutAfter = 1 << 20;

        CachedImage cached = cachedBy(cache.fetch(ImageRequest.of(base + "/img/flaky.qcow2", sha256(served.content))));

        assertThat(cached.path()).hasBinaryContent(served.content);
        assertThat(requests).containsExactly("HEAD /img/flaky.qcow2", "GET /img/flaky.qcow2 -> 503",
                "GET /img/flaky.qcow2 -> 503", "GET /img/flaky.qcow2 -> 200 cut", "GET /img/flaky.qcow2 bytes=1048576-3145727 -> 206");
    }

    @Test
    void aServerWithoutRangesIsReadPastTheBytesAlreadyHeld() {
        Served served = serve("/img/norange.qcow2", random((2 << 20) + 99, 3));
        served.ranges = false;
        served.cutsLeft.set(1);
        served.cutAfter = 1_500_000;

        CachedImage cached = cachedBy(cache.fetch(ImageRequest.of(base + "/img/norange.qcow2", sha256(served.content))));

        assertThat(cached.path()).hasBinaryContent(served.content);
        assertThat(requests).hasSize(3).last().asString().endsWith("-> 200");
    }

    @Test
    void worksWithoutHeadAndWithoutAnnouncedLength() {
        Served served = serve("/img/chunked.qcow2", random((3 << 20) + 5, 4));
        served.head = false;
        served.chunked = true;
        serve("/img/chunked.qcow2.sha256", sha256(served.content).getBytes(StandardCharsets.UTF_8));

        ImageFetch fetch = cache.fetch(ImageRequest.of(base + "/img/chunked.qcow2", null));

        assertThat(cachedBy(fetch).path()).hasBinaryContent(served.content);
        assertThat(fetch.verified()).isTrue();
    }

    @Test
    void withoutChecksumItIsKeyedByEtagAndAChangedEtagDownloadsAgain() {
        Served served = serve("/img/plain.qcow2", random(1 << 20, 5));

        ImageFetch first = cache.fetch(ImageRequest.of(base + "/img/plain.qcow2", null));
        assertThat(cachedBy(first).sha256()).isEqualTo(sha256(served.content));
        assertThat(first.verified()).isFalse();
        ImageFetch hit = cache.fetch(ImageRequest.of(base + "/img/plain.qcow2", null));
        assertThat(hit.result()).isCompleted();
        assertThat(gets("/img/plain.qcow2")).isEqualTo(1);

        served.etag = "\"v2\"";
        cachedBy(cache.fetch(ImageRequest.of(base + "/img/plain.qcow2", null)));
        assertThat(gets("/img/plain.qcow2")).isEqualTo(2);
    }

    @Test
    void tokensInTheQueryNeverShowInErrorsOrTheListing() {
        Served served = serve("/img/private.qcow2", random(1 << 20, 6));
        served.requiredQuery = "token=s3cr3t-token";

        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of(base + "/img/private.qcow2?token=wrong-t0ken",
                sha256(served.content)))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_FAILED);
                    assertThat(e.getMessage()).contains("HTTP 403").contains("?…").doesNotContain("wrong-t0ken");
                });
        cachedBy(cache.fetch(ImageRequest.of(base + "/img/private.qcow2?token=s3cr3t-token", sha256(served.content))));
        assertThat(cache.list().entries()).singleElement().satisfies(entry -> assertThat(entry.sourceUrls())
                .containsExactly("http://127.0.0.1:" + server.getAddress().getPort() + "/img/private.qcow2?…"));
    }

    private ImageCache newCache(Set<String> httpHosts) {
        CacheSettings settings = CacheSettings.DEFAULTS.withHttpHosts(httpHosts).withRetry(FAST_RETRY, Duration.ofSeconds(5))
                .withAllowedNetworks(List.of(Cidr.parse("127.0.0.1/32")));
        return new ImageCache(cacheDir, settings, Optional.empty(), new SimpleMeterRegistry());
    }

    private Served serve(String path, byte[] content) {
        Served served = new Served(content);
        files.put(path, served);
        return served;
    }

    private long gets(String path) {
        return requests.stream().filter(r -> r.startsWith("GET " + path + " ")).count();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String range = exchange.getRequestHeaders().getFirst("Range");
        String line = method + " " + path + (range == null ? "" : " " + range);
        Served served = files.get(path);
        try (exchange) {
            if (served == null) {
                respond(exchange, line, 404);
                return;
            }
            if (served.redirectTo != null) {
                exchange.getResponseHeaders().set("Location", served.redirectTo);
                respond(exchange, line, 302);
                return;
            }
            if (served.requiredQuery != null && !served.requiredQuery.equals(exchange.getRequestURI().getQuery())) {
                respond(exchange, line, 403);
                return;
            }
            if (method.equals("HEAD") && !served.head) {
                respond(exchange, line, 405);
                return;
            }
            if (method.equals("GET") && served.failuresLeft.getAndDecrement() > 0) {
                respond(exchange, line, 503);
                return;
            }
            int start = 0;
            int end = served.content.length;
            int status = 200;
            Matcher matcher = range == null || !served.ranges ? null : RANGE.matcher(range);
            if (matcher != null && matcher.matches()) {
                start = Integer.parseInt(matcher.group(1));
                end = matcher.group(2).isEmpty() ? end : Integer.parseInt(matcher.group(2)) + 1;
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (end - 1) + "/"
                        + served.content.length);
            }
            if (served.ranges) {
                exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
            }
            exchange.getResponseHeaders().set("ETag", served.etag);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", String.valueOf(served.content.length));
                requests.add(line);
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            boolean cut = served.cutsLeft.getAndDecrement() > 0;
            requests.add(line + " -> " + status + (cut ? " cut" : ""));
            exchange.sendResponseHeaders(status, served.chunked ? 0 : end - start);
            OutputStream body = exchange.getResponseBody();
            body.write(served.content, start, cut ? Math.min(served.cutAfter, end - start) : end - start);
            body.flush();
            if (cut) {
                throw new IOException("cut on purpose"); // the server drops the connection mid-body
            }
        }
    }

    private void respond(HttpExchange exchange, String line, int status) throws IOException {
        requests.add(line + " -> " + status);
        exchange.sendResponseHeaders(status, -1);
    }
}
