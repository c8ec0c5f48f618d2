package io.virtfleet.operator.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhaseGaugesTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PhaseGauges<VirtualMachinePhase> gauges = new PhaseGauges<>(registry, "virtfleet.virtualmachines",
            "VirtualMachines by status.phase", VirtualMachinePhase.class);

    @Test
    void countsEachObjectInItsLatestPhaseUntilItIsForgotten() {
        gauges.record("default/web01", VirtualMachinePhase.Provisioning);
        gauges.record("default/web01", VirtualMachinePhase.Running);
        gauges.record("default/web02", VirtualMachinePhase.Running);
        gauges.record("team-a/web01", VirtualMachinePhase.Stopped);
        gauges.forget("team-a/web01");

        String scraped = registry.scrape();

        assertThat(scraped).contains("virtfleet_virtualmachines{phase=\"Running\"} 2.0")
                .contains("virtfleet_virtualmachines{phase=\"Provisioning\"} 0.0")
                .contains("virtfleet_virtualmachines{phase=\"Stopped\"} 0.0");
        for (VirtualMachinePhase phase : VirtualMachinePhase.values()) {
            assertThat(scraped).as("every phase is a series, zeros included")
                    .contains("virtfleet_virtualmachines{phase=\"" + phase + "\"}");
        }
    }
}
