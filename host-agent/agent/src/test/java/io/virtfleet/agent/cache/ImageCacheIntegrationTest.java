package io.virtfleet.agent.cache;

import static io.virtfleet.agent.cache.CacheTestBytes.cachedBy;
import static io.virtfleet.agent.cache.CacheTestBytes.filesIn;
import static io.virtfleet.agent.cache.CacheTestBytes.random;
import static io.virtfleet.agent.cache.CacheTestBytes.sha256;
import static io.virtfleet.agent.cache.CacheTestBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.S3Settings;
import io.virtfleet.agent.contract.AgentErrorReasons;
import io.virtfleet.agent.contract.CacheEntry;
import io.virtfleet.agent.contract.ImageCredentials;
import io.virtfleet.agent.contract.PrefetchStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The image cache against the S3 server ({@link S3ImageCacheTest}). Fetching: hits and misses, where the expected
 * digest comes from, mismatches, images without a checksum, credentials, prefetch.
 */
class ImageCacheIntegrationTest extends S3ImageCacheTest {
    @Test
    void downloadsOnAMissAndServesTheEntryOnAHit() {
        byte[] image = put("one.qcow2", random(3 << 20, 1));
        String sha256 = sha256(image);

        CachedImage miss = cachedBy(cache.fetch(ImageRequest.of("s3://images/one.qcow2", sha256)));
        assertThat(miss.path()).isEqualTo(cacheDir.resolve("sha256").resolve(sha256)).hasBinaryContent(image);
        assertThat(miss.sizeBytes()).isEqualTo(image.length);

        ImageFetch hit = cache.fetch(ImageRequest.of("s3://images/one.qcow2", sha256.toUpperCase()));
        assertThat(hit.result()).isCompletedWithValue(miss);
        assertThat(hit.verified()).isTrue();
        assertThat(hit.bytesDone()).isEqualTo(image.length);
        assertThat(s3.getRequestCount(BUCKET, "one.qcow2")).isEqualTo(1);
        assertThat(counter("hits")).isEqualTo(1);
        assertThat(counter("misses")).isEqualTo(1);
        assertThat(counter("downloaded")).isEqualTo(image.length);
        assertThat(metrics.get("virtfleet.image.cache.download").timer().count()).isEqualTo(1);
    }

    @Test
    void readsTheExpectedDigestFromTheSidecarInSha256sumOrBareForm() {
        byte[] two = put("two.qcow2", text("image two"));
        s3.putObject(BUCKET, "two.qcow2.sha256", (sha256(two) + "  two.qcow2\n").getBytes(StandardCharsets.UTF_8));
        byte[] bare = put("bare.qcow2", text("bare sidecar"));
        s3.putObject(BUCKET, "bare.qcow2.sha256", sha256(bare).getBytes(StandardCharsets.UTF_8));

        ImageFetch fromSha256sum = cache.fetch(ImageRequest.of("s3://images/two.qcow2", null));
        ImageFetch fromBareHex = cache.fetch(ImageRequest.of("minio://images/bare.qcow2", null));

        assertThat(cachedBy(fromSha256sum).path()).hasBinaryContent(two);
        assertThat(fromSha256sum.sha256()).isEqualTo(sha256(two));
        assertThat(fromSha256sum.verified()).isTrue();
        assertThat(cachedBy(fromBareHex).sha256()).isEqualTo(sha256(bare));
    }

    @Test
    void aMismatchFailsNamingBothDigestsAndLeavesNothingBehind() throws Exception {
        byte[] image = put("three.qcow2", text("image three"));
        String wrong = sha256(text("something else"));

        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of("s3://images/three.qcow2", wrong))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH);
                    assertThat(e.getMessage()).contains(wrong).contains(sha256(image));
                });
        assertThat(filesIn(cacheDir.resolve("sha256"))).isEmpty();
        assertThat(filesIn(cacheDir.resolve("tmp"))).isEmpty();
        assertThat(counter("checksum.failures")).isEqualTo(1);
    }

    @Test
    void withoutAnyChecksumCachesByUrlAndEtagAndSaysSo() {
        byte[] first = put("unsigned.qcow2", text("no sidecar, version 1"));

        ImageFetch miss = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(cachedBy(miss).path()).hasBinaryContent(first);
        assertThat(miss.verified()).isFalse();
        assertThat(miss.sha256()).isEqualTo(sha256(first));

        ImageFetch hit = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(hit.result()).isCompleted();
        assertThat(hit.verified()).isFalse();
        assertThat(s3.getRequestCount(BUCKET, "unsigned.qcow2")).isEqualTo(1);

        byte[] second = put("unsigned.qcow2", text("no sidecar, version 2")); // a new ETag
        ImageFetch changed = cache.fetch(ImageRequest.of("s3://images/unsigned.qcow2", null));
        assertThat(cachedBy(changed).path()).hasBinaryContent(second);
        assertThat(changed.sha256()).isEqualTo(sha256(second));
        assertThat(s3.getRequestCount(BUCKET, "unsigned.qcow2")).isEqualTo(2);
    }

    @Test
    void reportsMissingImagesAndUnreadableChecksumFiles() {
        assertThatThrownBy(() -> cachedBy(cache.fetch(ImageRequest.of("s3://images/absent.qcow2", sha256(text("x"))))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND));
        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse("s3://no-such-bucket/x.qcow2", null,
                new ImageCredentials(s3.accessKey(), s3.secretKey()))))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.IMAGE_NOT_FOUND));
        put("garbled.qcow2", text("garbled sidecar"));
        s3.putObject(BUCKET, "garbled.qcow2.sha256", "<html>not found</html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cache.fetch(ImageRequest.of("s3://images/garbled.qcow2", null)))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(AgentErrorReasons.CHECKSUM_UNAVAILABLE));
    }

    @Test
    void usesCredentialsFromTheRequestAndNeverShowsTheSecret() {
        byte[] image = put("private.qcow2", text("needs credentials"));
        cache.close();
        S3Settings anonymous = new S3Settings(s3.endpoint(), s3.region(), null, null);
        cache = new ImageCache(cacheDir, settings(), Optional.of(anonymous), metrics);
        String wrongSecret = "wrong-secret-do-not-log";

        assertThatThrownBy(() -> cache.fetch(ImageRequest.parse("s3://images/private.qcow2", null,
                new ImageCredentials(s3.accessKey(), wrongSecret))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AgentErrorReasons.DOWNLOAD_FAILED);
                    assertThat(e.getMessage()).doesNotContain(wrongSecret);
                });
        ImageFetch fetch = cache.fetch(ImageRequest.parse("s3://images/private.qcow2", sha256(image),
                new ImageCredentials(s3.accessKey(), s3.secretKey())));
        assertThat(cachedBy(fetch).path()).hasBinaryContent(image);
    }

    @Test
    void prefetchReportsProgressThenCachedAndAFailureOnceBeforeRetrying() {
        byte[] image = put("prefetch.qcow2", random(4 << 20, 41));
        ImageRequest request = ImageRequest.of("s3://images/prefetch.qcow2", sha256(image));

        PrefetchStatus first = cache.prefetch(request);
        assertThat(first.phase()).isIn(PrefetchStatus.DOWNLOADING, PrefetchStatus.CACHED);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.prefetch(request).phase().equals(PrefetchStatus.CACHED));
        PrefetchStatus cached = cache.prefetch(request);
        assertThat(cached.imageSha256()).isEqualTo(sha256(image));
        assertThat(cached.imageVerified()).isTrue();
        assertThat(cache.entry(sha256(image))).get().extracting(CacheEntry::inUse).isEqualTo(false);

        ImageRequest wrong = ImageRequest.of("s3://images/prefetch.qcow2", sha256(text("other")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.prefetch(wrong).phase().equals(PrefetchStatus.FAILED));
        PrefetchStatus retried = cache.prefetch(wrong); // reported once: this is a new attempt
        assertThat(retried.phase()).isIn(PrefetchStatus.DOWNLOADING, PrefetchStatus.FAILED);
        if (retried.phase().equals(PrefetchStatus.FAILED)) {
            assertThat(retried.error().reason()).isEqualTo(AgentErrorReasons.CHECKSUM_MISMATCH);
        }
    }
}
