package io.virtfleet.kubectl;

import io.virtfleet.crds.v1alpha1.RunStrategy;

import java.util.Map;

/** start, stop, pause, unpause: each sets {@code spec.runStrategy}; the operator does the rest. */
public record RunStrategyVerb(Usage usage, RunStrategy strategy) implements VmVerb {
    RunStrategyVerb(String name, RunStrategy strategy, String summary) {
        this(new Usage(name, "NAME", summary), strategy);
    }

    @Override
    public int run(Session session, String vm) throws CliException {
        session.virtualMachines().patchSpec(vm, Map.of("runStrategy", strategy.name()));
        session.out().println("virtualmachine.virtfleet.io/" + vm + " patched (spec.runStrategy=" + strategy + ")");
        return 0;
    }
}
