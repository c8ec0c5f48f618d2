package io.virtfleet.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        assertThat(CacheSettings.fromEnvironment(name -> Optional.empty())).isEqualTo(CacheSettings.DEFAULTS);
        assertThat(CacheSettings.DEFAULTS.budgetBytes()).as("never unlimited by default, as in the chart")
                .isEqualTo(100L << 30);
        assertThat(CacheSettings.DEFAULTS.limits()).isEqualTo(DownloadLimits.DEFAULTS);
        assertThat(DownloadLimits.DEFAULTS.maxImageBytes()).isEqualTo(64L << 30);
        assertThat(DownloadLimits.DEFAULTS.freeReserveBytes()).isEqualTo(2L << 30);
        assertThat(CacheSettings.DEFAULTS.verifyOnUse()).isFalse();
        assertThat(CacheSettings.DEFAULTS.httpHosts()).isEmpty();
        assertThat(CacheSettings.DEFAULTS.allowedNetworks()).isEmpty();
        assertThat(CacheSettings.DEFAULTS.s3PlatformPrefixes()).isEmpty();
    }

    @Test
    void readsEveryVariable() {
        Map<String, String> env = Map.of("CACHE_BUDGET", "100Gi", "CACHE_DOWNLOADS", "3", "CACHE_DOWNLOAD_STREAMS", "4",
                "CACHE_PART_BYTES", "16Mi", "CACHE_VERIFY", "always", "IMAGE_HTTP_HOSTS", "mirror.lan, 10.0.0.5",
                "IMAGE_ALLOWED_NETWORKS", "10.0.0.0/8, fd12::/16", "S3_PLATFORM_PREFIXES", "images, base/os/", "CACHE_READ_TIMEOUT_SECONDS", "90");

        CacheSettings settings = CacheSettings.fromEnvironment(name -> Optional.ofNullable(env.get(name)));

        assertThat(settings.budgetBytes()).isEqualTo(100L << 30);
        assertThat(settings.maxDownloads()).isEqualTo(3);
        assertThat(settings.streams()).isEqualTo(4);
        assertThat(settings.partBytes()).isEqualTo(16 << 20);
        assertThat(settings.verifyOnUse()).isTrue();
        assertThat(settings.httpHosts()).containsExactlyInAnyOrder("mirror.lan", "10.0.0.5");
        assertThat(settings.allowedNetworks()).extracting(Cidr::toString).containsExactly("10.0.0.0/8", "fd12::/16");
        assertThat(settings.s3PlatformPrefixes()).containsExactly("images/", "base/os/");
        assertThat(settings.readTimeout().toSeconds()).isEqualTo(90);
    }

    @Test
    void readsTheDownloadLimits() {
        Map<String, String> env = Map.of("CACHE_MAX_IMAGE_BYTES", "20Gi", "CACHE_DOWNLOAD_DEADLINE_SECONDS", "3600",
                "CACHE_MIN_BYTES_PER_SECOND", "1Mi", "CACHE_RATE_WINDOW_SECONDS", "120", "CACHE_FREE_RESERVE", "10Gi");

        DownloadLimits limits = CacheSettings.fromEnvironment(name -> Optional.ofNullable(env.get(name))).limits();

        assertThat(limits).isEqualTo(new DownloadLimits(20L << 30, java.time.Duration.ofHours(1), 1L << 20,
                java.time.Duration.ofMinutes(2), 10L << 30));
        assertThatThrownBy(() -> new DownloadLimits(0, java.time.Duration.ofHours(1), 0, java.time.Duration.ofMinutes(1),
                0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DownloadLimits(1, java.time.Duration.ZERO, 0, java.time.Duration.ofMinutes(1),
                0)).hasMessageContaining("deadline");
    }

    @Test
    void parsesSizesLikeKubernetesQuantities() {
        assertThat(CacheSettings.parseBytes("1073741824")).isEqualTo(1L << 30);
        assertThat(CacheSettings.parseBytes("512Mi")).isEqualTo(512L << 20);
        assertThat(CacheSettings.parseBytes("2Ti")).isEqualTo(2L << 40);
        assertThat(CacheSettings.parseBytes("100G")).isEqualTo(100_000_000_000L);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> CacheSettings.fromEnvironment(name -> name.equals("CACHE_VERIFY")
                ? Optional.of("sometimes") : Optional.empty())).hasMessageContaining("trust or always");
        assertThatThrownBy(() -> CacheSettings.DEFAULTS.withStreams(0, 1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheSettings.DEFAULTS.withStreams(2, 1000)).hasMessageContaining("multiple of 1 MiB");
    }

    @Test
    void backoffGrowsExponentiallyWithinItsCap() {
        RetryPolicy retry = RetryPolicy.DEFAULT;
        assertThat(retry.backoff(1).toMillis()).isBetween(200L, 300L);
        assertThat(retry.backoff(3).toMillis()).isBetween(800L, 1200L);
        assertThat(retry.backoff(30).toMillis()).isBetween(12_000L, 18_000L);
    }
}
