package io.virtfleet.helm.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Log settings, the cache budget, agent discovery and the optional PrometheusRule and Grafana dashboard as rendered. */
class ChartObservabilityTest {
    /**
     * The metric names the operator and agents register today (operator AgentClient: virtfleet.agent.calls; agent
     * CacheMetrics: virtfleet.image.cache.*; JOSDK MicrometerMetrics: operator.sdk.reconciliations.*), as Prometheus
     * names them. An alert or panel on any other name would never fire or draw.
     */
    private static final List<String> KNOWN_METRICS = List.of("virtfleet_agent_calls_seconds_count",
            "virtfleet_agent_calls_seconds_sum", "virtfleet_image_cache_hits_total", "virtfleet_image_cache_misses_total",
            "virtfleet_image_cache_checksum_failures_total", "virtfleet_image_cache_downloaded_bytes_total",
            "virtfleet_image_cache_downloads_active", "virtfleet_image_cache_used_bytes",
            "virtfleet_image_cache_budget_bytes", "operator_sdk_reconciliations_failed_total");
    private static final Pattern METRIC = Pattern.compile("\\b(virtfleet_[a-z_]+|operator_sdk_[a-z_]+)");

    private static Map<String, String> env(List<EnvVar> env) {
        return env.stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void logSettingsReachOperatorAndAgentsAndTheCacheHasABudget() {
        RenderedManifests rendered = ChartRender.with(Map.of("logging.level", "DEBUG", "logging.format", "json"));
        Map<String, String> operator = env(rendered.all(Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv());
        Map<String, String> agent = env(rendered.all(DaemonSet.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv());
        assertThat(operator).containsEntry("VIRTFLEET_LOG_LEVEL", "DEBUG").containsEntry("VIRTFLEET_LOG_FORMAT", "json");
        assertThat(agent).containsEntry("VIRTFLEET_LOG_LEVEL", "DEBUG").containsEntry("VIRTFLEET_LOG_FORMAT", "json");
        Map<String, String> defaults = env(ChartRender.defaults().all(DaemonSet.class).get(0).getSpec().getTemplate()
                .getSpec().getContainers().get(0).getEnv());
        assertThat(defaults).containsEntry("VIRTFLEET_AGENT_CACHE_BUDGET", "100Gi").containsEntry("VIRTFLEET_LOG_LEVEL", "INFO");
    }

    @Test
    void staticAgentsAreRenderedBesideDaemonSetDiscovery() {
        RenderedManifests rendered = ChartRender.with(Map.of("operator.staticAgents[0].node", "hv-07",
                "operator.staticAgents[0].url", "https://10.0.0.7:9440"));
        Map<String, String> operator = env(rendered.all(Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv());
        assertThat(operator).containsEntry("VIRTFLEET_AGENTS", "hv-07=https://10.0.0.7:9440")
                .containsKey("VIRTFLEET_AGENT_SELECTOR");
    }

    @Test
    void monitoringObjectsAreOffByDefault() {
        RenderedManifests rendered = ChartRender.defaults();
        assertThat(rendered.generic("PrometheusRule")).isEmpty();
        assertThat(rendered.all(ConfigMap.class)).noneMatch(c -> c.getMetadata().getName().endsWith("-dashboard"));
    }

    @Test
    void prometheusRuleAlertsOnMetricsThatExist() {
        GenericKubernetesResource rule = ChartRender.with(Map.of("metrics.prometheusRule.enabled", "true",
                "metrics.prometheusRule.labels.release", "prom")).generic("PrometheusRule").get(0);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prom");
        JsonNode rules = Serialization.jsonMapper().valueToTree(rule.getAdditionalProperties().get("spec"))
                .path("groups").path(0).path("rules");
        List<String> alerts = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        rules.forEach(r -> {
            alerts.add(r.path("alert").asText());
            assertThat(r.path("annotations").path("description").asText()).isNotBlank();
            Matcher m = METRIC.matcher(r.path("expr").asText());
            while (m.find()) {
                metrics.add(m.group(1));
            }
        });
        assertThat(alerts).containsExactly("VirtFleetAgentUnreachable", "VirtFleetImageChecksumFailures",
                "VirtFleetDownloadStalled", "VirtFleetReconcileErrors");
        assertThat(metrics).isNotEmpty().allSatisfy(name -> assertThat(KNOWN_METRICS).contains(name));
    }

    @Test
    void dashboardIsValidJsonOnMetricsThatExist() throws Exception {
        ConfigMap map = ChartRender.with(Map.of("metrics.grafanaDashboard.enabled", "true")).all(ConfigMap.class)
                .stream().filter(c -> c.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = Serialization.jsonMapper().readTree(map.getData().get("virtfleet.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("virtfleet");
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
        dashboard.path("panels").forEach(panel -> {
            Matcher m = METRIC.matcher(panel.path("targets").path(0).path("expr").asText());
            assertThat(m.find()).as(panel.path("title").asText()).isTrue();
            do {
                assertThat(KNOWN_METRICS).contains(m.group(1));
            } while (m.find());
        });
    }
}
