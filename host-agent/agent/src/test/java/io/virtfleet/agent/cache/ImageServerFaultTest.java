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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected: image servers on real sockets that never end, that trickle, and that are steady but too slow for the
 * deadline. The cache (one download slot) must cut each off with its own reason, keep nothing of it, and serve the next
 * image through the same slot with the right digest.
 */
class ImageServerFaultTest {
    private static final int MAX_IMAGE_BYTES = 8 << 20;
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final DownloadLimits LIMITS = new DownloadLimits(MAX_IMAGE_BYTES, DEADLINE, 256 << 10,
            Duration.ofSeconds(1), 0);

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final byte[] good = random(2 << 20, 42);
    private HttpServer server;
    private String base;
    private Path cacheDir;
    private ImageCache cache;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/endless.img", exchange -> paced(exchange, -1, 1 << 20, 0));
        server.createContext("/trickle.img", exchange -> paced(exchange, MAX_IMAGE_BYTES, 1024, 50)); // 20 KiB/s
        server.createContext("/steady.img", exchange -> paced(exchange, MAX_IMAGE_BYTES, 64 << 10, 50)); // 1.3 MiB/s
        server.createContext("/good.img", exchange -> paced(exchange, good.length, good.length, 0));
        server.setExecutor(serverThreads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        cacheDir = dir.resolve("cache");
        CacheSettings settings = CacheSettings.DEFAULTS.withHttpHosts(Set.of("127.0.0.1"))
                .withAllowedNetworks(List.of(Cidr.parse("127.0.0.1/32")))
                .withRetry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(5))
                .withMaxDownloads(1).withLimits(LIMITS);
        cache = new ImageCache(cacheDir, settings, Optional.empty(), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        cache.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void anEndlessImageOfUnknownLengthIsCutOffAtTheMaximumSize() {
        AgentException cut = failedFetch("/endless.img");

        assertThat(cut.reason()).isEqualTo(AgentErrorReasons.IMAGE_TOO_LARGE);
        assertThat(cut.getMessage()).contains("at most " + MAX_IMAGE_BYTES + " bytes");
        assertNothingKeptAndTheSlotServesTheNextImage();
    }

    @Test
    void aTricklingServerIsCutOffAfterOneWindowBelowTheMinimumRate() {
        long started = System.nanoTime();
        AgentException cut = failedFetch("/trickle.img");

        assertThat(cut.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_TOO_SLOW);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("cut off after the first window, not the deadline")
                .isLessThan(DEADLINE);
        assertNothingKeptAndTheSlotServesTheNextImage();
    }

    @Test
    void aSteadyServerTooSlowForTheImageIsCutOffAtTheDeadline() {
        long started = System.nanoTime();
        AgentException cut = failedFetch("/steady.img");

        assertThat(cut.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_TIMED_OUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(DEADLINE, DEADLINE.plusSeconds(2));
        assertNothingKeptAndTheSlotServesTheNextImage();
    }

    private AgentException failedFetch(String path) {
        ImageFetch fetch = cache.fetch(ImageRequest.of(base + path, "00".repeat(32)));
        AgentException[] failure = new AgentException[1];
        assertThatThrownBy(() -> cachedBy(fetch)).isInstanceOfSatisfying(AgentException.class, e -> failure[0] = e);
        fetch.close();
        return failure[0];
    }

    /** No partial download in tmp, no entry; the one download slot is free: the next image arrives intact. */
    private void assertNothingKeptAndTheSlotServesTheNextImage() {
        assertThat(filesIn(cacheDir.resolve("tmp"))).isEmpty();
        assertThat(cache.list().entries()).isEmpty();
        try (ImageFetch next = cache.fetch(ImageRequest.of(base + "/good.img", sha256(good)))) {
            assertThat(cachedBy(next).path()).hasBinaryContent(good);
        }
        assertThat(cache.list().entries()).singleElement().satisfies(e -> assertThat(e.sha256()).isEqualTo(sha256(good)));
    }

    private static List<Path> filesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves {@code length} bytes (-1: endless, no length announced and no HEAD) in pieces of {@code pieceBytes} with
     * {@code pauseMillis} between them, until the client goes away.
     */
    private void paced(HttpExchange exchange, long length, int pieceBytes, long pauseMillis) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                if (length < 0) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Length", String.valueOf(length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, length < 0 ? 0 : length);
            byte[] piece = length == good.length ? good : random(pieceBytes, 7);
            OutputStream out = exchange.getResponseBody();
            for (long sent = 0; length < 0 || sent < length; sent += piece.length) {
                out.write(piece, 0, (int) (length < 0 ? piece.length : Math.min(piece.length, length - sent)));
                out.flush();
                LockSupport.parkNanos(Duration.ofMillis(pauseMillis).toNanos()); // the injected slowness
            }
        } catch (IOException e) {
            // the cache hung up: the cut-off under test
        }
    }
}
