package io.virtfleet.kubectl;

import io.virtfleet.crds.v1alpha1.RunStrategy;

import java.util.List;
import java.util.Map;

/** start, stop, pause, unpause: each sets {@code spec.runStrategy}; the operator does the rest. */
public record RunStrategyVerb(String name, RunStrategy strategy, String summary) implements Verb {
    @Override
    public String arguments() {
        return "NAME";
    }

    @Override
    public int run(Session session, List<String> args) throws CliException {
        String vm = VirtualMachines.singleName(this, args);
        session.virtualMachines().patchSpec(vm, Map.of("runStrategy", strategy.name()));
        session.out().println("virtualmachine.virtfleet.io/" + vm + " patched (spec.runStrategy=" + strategy + ")");
        return 0;
    }
}
