package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineSpec;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A restart asked for by a new {@code spec.restartToken}, one step per reconcile: shut the guest down gracefully (as a
 * stop does), then record the token in {@code status.observedRestartToken} — in that reconcile's status write, before
 * anything starts — and let the next reconcile start the domain as its runStrategy asks. Recording only after the
 * guest is off and before it starts again makes the restart happen exactly once, across operator restarts too: an
 * unrecorded token with a running guest means "not yet stopped", a recorded one means "done".
 */
final class Restart {
    private Restart() {
    }

    /** A restartToken that the operator has not acted on yet. */
    static boolean due(VirtualMachineSpec spec, VirtualMachineStatus status) {
        return spec.getRestartToken() != null && !Objects.equals(spec.getRestartToken(), status.getObservedRestartToken());
    }

    /**
     * @param stopped the domain's desired state with {@code running} false, built only when the guest must stop
     * @return the restart's outcome while it is under way; empty when there is nothing (more) to do in this reconcile
     */
    static Optional<Outcome<VirtualMachinePhase>> step(VirtualMachineSpec spec, VirtualMachineStatus status,
                                                       AgentClient agent, String domainName,
                                                       Supplier<DomainRequest> stopped) throws AgentCallException {
        if (!due(spec, status)) {
            return Optional.empty();
        }
        String token = spec.getRestartToken();
        RunStrategy strategy = DomainRequestMapper.runStrategy(spec);
        if (status.getInstanceId() == null || strategy == RunStrategy.Halted || strategy == RunStrategy.Manual) {
            // Never ran yet, kept stopped, or a person's to start: nothing to restart; the token is only recorded.
            status.setObservedRestartToken(token);
            return Optional.empty();
        }
        if (!Power.shutDown(agent, domainName, stopped.get())) {
            return Optional.of(Outcome.notReadyKeepingPhase(Reason.RESTARTING,
                    "shutting the guest down to restart it (restartToken " + token + ")",
                    DomainStatusMirror.POLL_WHILE_CHANGING));
        }
        status.setObservedRestartToken(token);
        return Optional.of(Outcome.notReady(VirtualMachinePhase.Starting, Reason.RESTARTED,
                "the guest is off; starting it again (restartToken " + token + ")",
                DomainStatusMirror.POLL_WHILE_CHANGING));
    }
}
