package io.virtfleet.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many objects of one kind are in each phase, as gauges {@code <name>{phase="..."}} (every phase of the enum
 * present, zeros included, so an alert on a phase never sees "no data"). Fed with the phase each reconcile concludes;
 * an object counts until its cleanup ends. After an operator restart every object is reconciled again, so the counts
 * rebuild within the first pass.
 */
public final class PhaseGauges<P extends Enum<P>> {
    private final Map<String, P> phases = new ConcurrentHashMap<>();

    /**
     * @param name e.g. {@code virtfleet.virtualmachines}, which Prometheus shows as {@code virtfleet_virtualmachines}
     */
    public PhaseGauges(MeterRegistry registry, String name, String description, Class<P> phaseType) {
        for (P phase : phaseType.getEnumConstants()) {
            Gauge.builder(name, this, gauges -> gauges.count(phase))
                    .tag("phase", phase.name())
                    .description(description)
                    .register(registry);
        }
    }

    /** @param key the object's {@code namespace/name} */
    public void record(String key, P phase) {
        if (phase == null) {
            phases.remove(key);
        } else {
            phases.put(key, phase);
        }
    }

    public void forget(String key) {
        phases.remove(key);
    }

    double count(P phase) {
        return phases.values().stream().filter(phase::equals).count();
    }
}
