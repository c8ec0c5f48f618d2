package io.virtfleet.agent.cache;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.fixtures.FaultyProxy;
import io.virtfleet.fixtures.InProcessS3;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image cache against an S3 server started in this JVM (S3Proxy, a stand-in for MinIO), spoken to over the real
 * S3 protocol; faults come from a {@link FaultyProxy} between the two. One server for each test class (each test
 * uses its own object keys), a fresh cache for each test. GETs are counted at the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3ImageCacheTest {
    static final String BUCKET = "images";
    static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));

    InProcessS3 s3;
    Path cacheDir;
    SimpleMeterRegistry metrics;
    ImageCache cache;
    /** Set by a test that puts faults between cache and server; closed after it. */
    FaultyProxy proxy;

    @BeforeAll
    void startS3(@TempDir Path s3Dir) {
        s3 = InProcessS3.start(s3Dir);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    void stopS3() {
        s3.close();
    }

    @BeforeEach
    void startCache(@TempDir Path dir) {
        cacheDir = dir.resolve("cache");
        cache = newCache(settings(), s3.endpoint());
    }

    @AfterEach
    void stopCache() {
        cache.close();
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    CacheSettings settings() {
        return CacheSettings.DEFAULTS.withRetry(FAST_RETRY, Duration.ofSeconds(5)).withS3PlatformPrefixes(List.of(BUCKET + "/"));
    }

    ImageCache newCache(CacheSettings settings, URI endpoint) {
        metrics = new SimpleMeterRegistry();
        S3Settings s3Settings = new S3Settings(endpoint, s3.region(), s3.accessKey(), s3.secretKey());
        return new ImageCache(cacheDir, settings, Optional.of(s3Settings), metrics);
    }

    double counter(String name) {
        return metrics.get("virtfleet.image.cache." + name).counter().count();
    }

    byte[] put(String key, byte[] content) {
        s3.putObject(BUCKET, key, content);
        return content;
    }
}
