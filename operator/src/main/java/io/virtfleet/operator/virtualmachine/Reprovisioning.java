package io.virtfleet.operator.virtualmachine;

import io.virtfleet.crds.v1alpha1.RootVolume;
import io.virtfleet.crds.v1alpha1.VirtualMachine;
import io.virtfleet.crds.v1alpha1.VirtualMachinePhase;
import io.virtfleet.crds.v1alpha1.VirtualMachineStatus;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;
import io.virtfleet.operator.agent.AgentDirectory;
import io.virtfleet.operator.base.AgentNames;
import io.virtfleet.operator.secrets.SeedSecrets;
import io.virtfleet.operator.status.EventRecorder;
import io.virtfleet.operator.status.Outcome;
import io.virtfleet.operator.status.Reason;

import java.util.Objects;
import java.util.Optional;

/**
 * Reprovisioning, one step per reconcile: stop the domain gracefully, hand the new token to the owned volume, wait
 * until the volume holds a fresh copy under that token. Done (empty) when it does: the domain then starts with a new
 * seed (a new instance-id).
 */
final class Reprovisioning {
    private final AgentDirectory agents;
    private final OwnedRootVolumes owned;
    private final EventRecorder events;

    Reprovisioning(AgentDirectory agents, OwnedRootVolumes owned, EventRecorder events) {
        this.agents = agents;
        this.owned = owned;
        this.events = events;
    }

    /** A VM that was provisioned once, under another token than the one it should have now. */
    static boolean due(VirtualMachineStatus status, String token) {
        return status.getInstanceId() != null && !Objects.equals(status.getProvisionedToken(), token);
    }

    /** @param template whether the VM owns the volume (and so hands the token to it) */
    Optional<Outcome<VirtualMachinePhase>> step(VirtualMachine vm, VirtualMachineStatus status, RootVolume volume,
                                                String token, boolean template, SeedSecrets secrets)
            throws AgentCallException {
        String node = status.getNodeName();
        Optional<AgentClient> agent = node == null ? Optional.empty() : agents.forNode(node);
        if (agent.isPresent() && !Power.shutDown(agent.get(), AgentNames.of(vm), DomainRequestMapper.map(
                vm.getMetadata().getName(), vm.getMetadata().getUid(), vm.getSpec(), AgentNames.of(volume), false,
                status.getInstanceId(), secrets))) {
            return Optional.of(Outcome.notReady(VirtualMachinePhase.Reprovisioning, Reason.REPROVISIONING,
                    "stopping the domain to reprovision (token " + token + ")",
                    DomainStatusMirror.POLL_WHILE_CHANGING));
        }
        if (template && !Objects.equals(volume.getSpec().getReprovisionToken(), token)) {
            owned.reprovision(volume, token, vm.getSpec().getRootVolume().getTemplate().getProvisioning());
        }
        if (!VolumeGate.isReady(volume) || !Objects.equals(volume.getStatus().getPopulatedToken(), token)) {
            return Optional.of(Outcome.notReady(VirtualMachinePhase.Reprovisioning, Reason.REPROVISIONING,
                    "re-populating RootVolume " + volume.getMetadata().getName()
                            + " from a fresh copy of its image (token " + token + ")",
                    VirtualMachineReconciler.RETRY_AFTER_FAILURE));
        }
        events.normal(vm, Reason.REPROVISIONING, "root volume re-populated (token " + token
                + "); starting with a new cloud-init instance-id");
        return Optional.empty();
    }
}
