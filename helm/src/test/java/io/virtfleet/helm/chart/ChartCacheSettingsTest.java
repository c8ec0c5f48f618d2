package io.virtfleet.helm.chart;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.virtfleet.agent.cache.CacheSettings;
import io.virtfleet.agent.cache.DownloadLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent reads the chart's cache and download settings as rendered: the variables parse and mean what they say. */
class ChartCacheSettingsTest {
    private static final String PREFIX = "VIRTFLEET_AGENT_";

    /** The agent's cache settings from the rendered DaemonSet's variables, as the agent itself reads them. */
    private static CacheSettings agentReads(RenderedManifests rendered) {
        Map<String, String> env = rendered.all(DaemonSet.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        return CacheSettings.fromEnvironment(name -> Optional.ofNullable(env.get(PREFIX + name))
                .map(String::trim).filter(v -> !v.isEmpty()));
    }

    @Test
    void byDefaultTheCacheHasABudgetAndDownloadsTheAgentsOwnBounds() {
        CacheSettings settings = agentReads(ChartRender.defaults());

        assertThat(settings.budgetBytes()).as("never unlimited by default").isEqualTo(100L << 30);
        assertThat(settings.limits()).isEqualTo(DownloadLimits.DEFAULTS);
    }

    @Test
    void everyBoundIsConfigurable() {
        CacheSettings settings = agentReads(ChartRender.with(Map.of("agent.cacheBudget", "500Gi",
                "agent.cacheFreeReserve", "10Gi", "agent.imageDownload.maxImageSize", "20Gi",
                "agent.imageDownload.deadlineSeconds", "3600", "agent.imageDownload.minBytesPerSecond", "1Mi",
                "agent.imageDownload.rateWindowSeconds", "120")));

        assertThat(settings.budgetBytes()).isEqualTo(500L << 30);
        assertThat(settings.limits()).isEqualTo(new DownloadLimits(20L << 30, Duration.ofHours(1), 1L << 20,
                Duration.ofMinutes(2), 10L << 30));
    }
}
