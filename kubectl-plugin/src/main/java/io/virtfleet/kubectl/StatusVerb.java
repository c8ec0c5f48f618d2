package io.virtfleet.kubectl;

import io.fabric8.kubernetes.api.model.Condition;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;

import java.util.List;
import java.util.Objects;

/** status NAME: what the operator reports — phase, node, run strategy, restart token, one line per condition. */
public final class StatusVerb implements VmVerb {
    private static final Usage USAGE = new Usage("status", "NAME",
            "phase, node, runStrategy, restart token and conditions of a VirtualMachine");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(Session session, String name) throws CliException {
        VirtualMachine vm = session.virtualMachines().get(name);
        VirtualMachineStatus status = vm.getStatus() == null ? new VirtualMachineStatus() : vm.getStatus();
        var out = session.out();
        out.println("Name:          " + name);
        out.println("Namespace:     " + vm.getMetadata().getNamespace());
        out.println("Phase:         " + or(status.getPhase(), "(no status yet)"));
        out.println("Node:          " + or(status.getNodeName(), "(not placed)"));
        out.println("RunStrategy:   " + or(vm.getSpec() == null ? null : vm.getSpec().getRunStrategy(), "Always"));
        if (vm.getSpec() != null && vm.getSpec().getRestartToken() != null) {
            boolean done = vm.getSpec().getRestartToken().equals(status.getObservedRestartToken());
            out.println("RestartToken:  " + vm.getSpec().getRestartToken() + (done ? " (acted on)" : " (pending)"));
        }
        out.println("Conditions:");
        List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        if (conditions.isEmpty()) {
            out.println("  (none yet)");
        }
        for (Condition c : conditions) {
            out.printf("  %-16s %-7s %-22s %s%n", c.getType(), c.getStatus(), or(c.getReason(), ""),
                    or(c.getMessage(), ""));
        }
        return 0;
    }

    private static String or(Object value, String fallback) {
        return Objects.toString(value, fallback);
    }
}
