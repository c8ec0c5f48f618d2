package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.TestImage;
import io.virtfleet.fixtures.UnsafeImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache inspects what it downloads and what it hands out: unsafe images never become or stay entries. */
class UnsafeImageCacheTest {
    @TempDir
    Path dir;
    private InProcessS3 s3;
    private ImageCache cache;

    @BeforeEach
    void start() {
        s3 = InProcessS3.start(dir.resolve("s3"));
        s3.createBucket("images");
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        s3.close();
    }

    @Test
    void anUnsafeDownloadIsRemovedAndNeverBecomesAnEntry() {
        TestImage evil = UnsafeImages.backingFileImage(dir.resolve("upload"), "evil");
        s3.putObject("images", "evil.qcow2", evil.path());
        cache = newCache();

        try (ImageFetch fetch = cache.fetch(ImageRequest.parse("s3://images/evil.qcow2", evil.sha256(), null))) {
            assertThatThrownBy(() -> fetch.result().join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AgentException.class).hasMessageContaining("backing file")
                    .extracting(e -> ((AgentException) e).reason()).isEqualTo(AgentErrorReasons.UNSAFE_IMAGE);
        }
        assertThat(cache.list().entries()).isEmpty();
        assertThat(dir.resolve("cache/sha256")).isEmptyDirectory();
        assertThat(dir.resolve("cache/tmp")).isEmptyDirectory();
    }

    @Test
    void anUnsafeEntryCachedBeforeTheInspectorExistedIsRefusedAndEvictedBeforeAPopulation() throws Exception {
        TestImage evil = legacyEntry();
        CachedImage image = cache.cached(evil.sha256()).orElseThrow();

        assertThatThrownBy(() -> cache.inspectForUse(image, null)).isInstanceOf(AgentException.class)
                .hasMessageContaining("backing file");
        assertThat(cache.entry(evil.sha256())).isEmpty();
        assertThat(dir.resolve("cache/sha256").resolve(evil.sha256())).doesNotExist();
    }

    @Test
    void anUnsafeEntryCachedBeforeTheInspectorExistedGoesWhenItsBytesAreDownloadedAgain() throws Exception {
        TestImage evil = legacyEntry();
        s3.putObject("images", "evil.qcow2", evil.path());

        try (ImageFetch fetch = cache.fetch(ImageRequest.parse("s3://images/evil.qcow2", evil.sha256(), null))) {
            assertThatThrownBy(() -> fetch.result().join()).cause().hasMessageContaining("backing file");
        }
        assertThat(cache.entry(evil.sha256())).isEmpty();
        assertThat(dir.resolve("cache/sha256")).isEmptyDirectory();
    }

    /** An entry as an agent before the inspector left it: the file under its digest, no metadata. */
    private TestImage legacyEntry() throws Exception {
        TestImage evil = UnsafeImages.backingFileImage(dir.resolve("upload"), "evil");
        Files.createDirectories(dir.resolve("cache/sha256"));
        Files.copy(evil.path(), dir.resolve("cache/sha256").resolve(evil.sha256()));
        cache = newCache();
        assertThat(cache.entry(evil.sha256())).isPresent();
        return evil;
    }

    private ImageCache newCache() {
        S3Settings settings = new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
        return new ImageCache(dir.resolve("cache"), CacheSettings.DEFAULTS.withRetry(
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofSeconds(5))
                .withS3PlatformPrefixes(java.util.List.of("images/")),
                Optional.of(settings), new SimpleMeterRegistry());
    }
}
