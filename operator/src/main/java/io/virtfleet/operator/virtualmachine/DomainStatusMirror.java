package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.operator.console.ConsoleAccess;
import io.virtfleet.crds.v1alpha1.NetworkInterface;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.status.ConditionType;
import io.virtfleet.operator.status.Conditions;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.time.Duration;
import java.util.List;

/**
 * Turns the agent's view of a domain into the VM's status and conditions, and its conclusion into an {@link Outcome}
 * (phase, Ready, when to look again).
 */
final class DomainStatusMirror {
    static final Duration POLL_WHILE_CHANGING = Duration.ofSeconds(1);

    private final Conditions conditions;
    private final Duration recheckWhenSettled;

    DomainStatusMirror(Conditions conditions, Duration recheckWhenSettled) {
        this.conditions = conditions;
        this.recheckWhenSettled = recheckWhenSettled;
    }

    Outcome<VirtualMachinePhase> mirror(VirtualMachineStatus status, long generation, VirtualMachineSpec spec,
                                        DomainStatus observed, Power desired) {
        status.setDomainUUID(observed.uuid());
        List<NetworkInterface> nics = spec.getNetworkInterfaces() == null ? List.of() : spec.getNetworkInterfaces();
        if (observed.macAddresses() != null) {
            // What libvirt holds, not what was asked for; an agent that predates the field leaves the last value.
            status.setMacAddresses(observed.macAddresses());
        }
        ObservedInterfaces.mirror(status, nics, observed);
        status.setConsole(ConsoleAccess.describe(observed.name(), observed.vncAddress() != null));
        conditions.set(status, generation, ConditionType.DomainDefined, true, Reason.DOMAIN_DEFINED,
                "domain " + observed.name() + " is defined");
        boolean running = observed.phase() == DomainPhase.Running;
        conditions.set(status, generation, ConditionType.Running, running, running ? Reason.DOMAIN_RUNNING
                : observed.phase() == DomainPhase.Paused ? Reason.DOMAIN_PAUSED : Reason.DOMAIN_STOPPED,
                "the domain is " + observed.phase());
        if (observed.restartRequired()) {
            conditions.set(status, generation, ConditionType.RestartRequired, true, Reason.HARDWARE_CHANGED,
                    "the definition changed while the domain ran (outside spec.liveUpdate's maxima, a new maximum, or a "
                            + "change the guest did not take live); restart the VM (a new spec.restartToken, e.g. "
                            + "kubectl virtfleet restart) to apply it");
        } else if (Conditions.find(status, ConditionType.RestartRequired).isPresent()) {
            conditions.set(status, generation, ConditionType.RestartRequired, false, Reason.DEFINITION_APPLIED,
                    "the running domain matches its definition");
        }
        boolean manual = DomainRequestMapper.runStrategy(spec) == RunStrategy.Manual;
        if (manual || desired.matches(observed.phase())) {
            return settled(Power.of(observed.phase()), manual, observed);
        }
        return switch (desired) {
            case RUNNING -> Outcome.notReady(VirtualMachinePhase.Starting, Reason.STARTING,
                    waiting(observed, "running"), POLL_WHILE_CHANGING);
            case PAUSED -> Outcome.notReady(VirtualMachinePhase.Starting, Reason.PAUSING,
                    waiting(observed, "paused"), POLL_WHILE_CHANGING);
            case STOPPED -> Outcome.notReady(observed.phase() == DomainPhase.Paused ? VirtualMachinePhase.Paused
                    : VirtualMachinePhase.Running, Reason.STOPPING, waiting(observed, "stopped"), POLL_WHILE_CHANGING);
        };
    }

    private static String waiting(DomainStatus observed, String wanted) {
        return "the domain is " + observed.phase() + "; waiting for it to be " + wanted;
    }

    /**
     * The domain is as the runStrategy asks (or, for Manual, as a person left it). Ready means the VM runs, as in
     * KubeVirt: a VM kept stopped or paused is settled (phase Stopped or Paused, nothing to do) but not Ready, so that
     * {@code kubectl wait --for=condition=Ready} means "the guest is up". Reasons {@code Halted} and {@code Paused}
     * tell it was asked for.
     */
    private Outcome<VirtualMachinePhase> settled(Power power, boolean manual, DomainStatus observed) {
        String manualMessage = "runStrategy Manual: the domain is " + observed.phase() + "; the operator leaves its "
                + "power state alone";
        return switch (power) {
            case RUNNING -> Outcome.ready(VirtualMachinePhase.Running, manual ? Reason.MANUAL : Reason.DOMAIN_RUNNING,
                    manual ? manualMessage : "the VM is running", recheckWhenSettled);
            case PAUSED -> Outcome.notReady(VirtualMachinePhase.Paused, manual ? Reason.MANUAL : Reason.PAUSED,
                    manual ? manualMessage : "the VM is paused, as runStrategy Paused asks", recheckWhenSettled);
            case STOPPED -> Outcome.notReady(VirtualMachinePhase.Stopped, manual ? Reason.MANUAL : Reason.HALTED,
                    manual ? manualMessage : "the VM is stopped, as runStrategy Halted asks", recheckWhenSettled);
        };
    }
}
