package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.fixtures.InProcessS3;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache hit by digest never hands a tenant an image it could not read itself: tenant A caches a private image with
 * its own credentials; tenant B gets it only after proving it can read the same source.
 */
class CacheReadersTest {
    private static final String URL = "s3://private/a/image.qcow2";

    @TempDir
    Path dir;
    private InProcessS3 s3;
    private ImageCache cache;
    private byte[] image;
    private ImageCredentials valid;

    @BeforeEach
    void start() {
        s3 = InProcessS3.start(dir.resolve("s3"));
        s3.createBucket("private");
        s3.createBucket("public");
        image = random(2 << 20, 77);
        s3.putObject("private", "a/image.qcow2", image);
        valid = new ImageCredentials(s3.accessKey(), s3.secretKey());
        S3Settings platform = new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
        cache = new ImageCache(dir.resolve("cache"), CacheSettings.DEFAULTS
                .withRetry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofSeconds(5))
                .withS3PlatformPrefixes(List.of("public/")), Optional.of(platform), new SimpleMeterRegistry());
        try (ImageFetch a = cache.fetch(ImageRequest.parse(URL, sha256(image), valid, "tenant-a"))) {
            assertThat(a.result().join().path()).hasBinaryContent(image);
        }
        assertThat(gets()).isEqualTo(1);
    }

    @AfterEach
    void stop() {
        cache.close();
        s3.close();
    }

    @Test
    void theSameTenantHitsWithoutContactingTheSource() {
        try (ImageFetch again = cache.fetch(ImageRequest.parse(URL, sha256(image), valid, "tenant-a"))) {
            assertThat(again.result()).isCompleted();
        }
        assertThat(gets()).isEqualTo(1);
    }

    @Test
    void anotherTenantWithWrongCredentialsIsRefusedAndGetsNothing() {
        ImageCredentials wrong = new ImageCredentials(s3.accessKey(), "not-the-secret");
        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse(URL, sha256(image), wrong, "tenant-b")))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_AUTHORIZED);
                    assertThat(e.getMessage()).contains(URL);
                });
        assertThat(cache.entry(sha256(image))).get().satisfies(e -> assertThat(e.inUse()).isFalse());
    }

    @Test
    void anotherTenantWithoutCredentialsMayNotUseThePlatformKeysForThatBucket() {
        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse(URL, sha256(image), null, "tenant-b")))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.SOURCE_NOT_ALLOWED));
    }

    @Test
    void anotherTenantNamingTheDigestWithAnotherUrlDownloadsFromItsOwnUrl() {
        s3.putObject("public", "other.qcow2", random(2 << 20, 78)); // other bytes under the same digest claim
        ImageFetch other = cache.fetch(ImageRequest.parse("s3://public/other.qcow2", sha256(image), null, "tenant-b"));
        assertThatThrownBy(() -> other.result().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH));
        other.close();

        s3.putObject("public", "copy.qcow2", image); // the same bytes: verified from its own URL, then shared
        try (ImageFetch copy = cache.fetch(ImageRequest.parse("s3://public/copy.qcow2", sha256(image), null, "tenant-b"))) {
            assertThat(copy.result().join().path()).hasBinaryContent(image);
        }
        assertThat(s3.getRequestCount("public", "copy.qcow2")).isEqualTo(1);
        assertThat(cache.list().entries()).singleElement().satisfies(e -> assertThat(e.sourceUrls())
                .contains(URL, "s3://public/copy.qcow2"));
    }

    @Test
    void anotherTenantWithValidCredentialsHitsAfterAStat() {
        try (ImageFetch b = cache.fetch(ImageRequest.parse(URL, sha256(image), valid, "tenant-b"))) {
            assertThat(b.result()).isCompleted();
            assertThat(b.result().join().path()).hasBinaryContent(image);
        }
        assertThat(gets()).as("a stat, no download").isEqualTo(1);
        try (ImageFetch again = cache.fetch(ImageRequest.parse(URL, sha256(image), valid, "tenant-b"))) {
            assertThat(again.result()).isCompleted();
        }
    }

    @Test
    void aRequestWithOtherCredentialsNeverJoinsAnotherRequestersDownload() {
        cache.evict(sha256(image));
        ImageCredentials wrong = new ImageCredentials(s3.accessKey(), "not-the-secret");
        try (ImageFetch a = cache.fetch(ImageRequest.parse(URL, sha256(image), valid, "tenant-a"))) {
            // Whether A's download still runs or has finished, B is refused (synchronously or through its result).
            Throwable refused = catchThrowable(() -> {
                try (ImageFetch b = cache.fetch(ImageRequest.parse(URL, sha256(image), wrong, "tenant-b"))) {
                    b.result().join();
                }
            });
            Throwable cause = refused instanceof CompletionException ? refused.getCause() : refused;
            assertThat(cause).isInstanceOf(AgentException.class).hasMessageContaining("denied");
            assertThat(a.result().join().path()).hasBinaryContent(image);
        }
    }

    private int gets() {
        return s3.getRequestCount("private", "a/image.qcow2");
    }
}
