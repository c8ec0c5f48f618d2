package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.contract.DomainRequest;
import io.virtfleet.agent.contract.DomainStatus;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import io.virtfleet.operator.agent.AgentCallException;
import io.virtfleet.operator.agent.AgentClient;

import java.util.Optional;

/**
 * The power state a VM's domain should be in, and the agent calls that get it there. The agent's PUT starts and stops
 * (its {@code running}); pausing and resuming are its two imperative calls, made only when the observed state differs
 * and always with the VM's UID, so that the agent refuses them for another owner's domain.
 * A paused guest cannot act on an ACPI shutdown request, so every graceful stop of a paused domain resumes it first.
 */
enum Power {
    RUNNING, PAUSED, STOPPED;

    /** Whether the domain is started (running or paused): the {@code running} of the agent's PUT. */
    boolean active() {
        return this != STOPPED;
    }

    /** Whether an observed domain is in this state (a crashed domain counts as stopped). */
    boolean matches(DomainPhase phase) {
        return switch (this) {
            case RUNNING -> phase == DomainPhase.Running;
            case PAUSED -> phase == DomainPhase.Paused;
            case STOPPED -> phase != DomainPhase.Running && phase != DomainPhase.Paused;
        };
    }

    /** Always, Paused, Halted as they say; Manual keeps what the domain is now (a new domain stays stopped). */
    static Power desired(RunStrategy strategy, Optional<DomainPhase> current) {
        return switch (strategy) {
            case Always -> RUNNING;
            case Paused -> PAUSED;
            case Halted -> STOPPED;
            case Manual -> current.map(Power::of).orElse(STOPPED);
        };
    }

    static Power of(DomainPhase phase) {
        return phase == DomainPhase.Running ? RUNNING : phase == DomainPhase.Paused ? PAUSED : STOPPED;
    }

    /**
     * After the PUT (which started or stopped the domain): pauses a running domain that should be paused and resumes
     * a paused one that should run.
     *
     * @return what the agent reports afterwards
     */
    DomainStatus settle(AgentClient agent, String domainName, String ownerUid, DomainStatus observed)
            throws AgentCallException {
        if (this == PAUSED && observed.phase() == DomainPhase.Running) {
            return agent.suspendDomain(domainName, ownerUid);
        }
        if (this == RUNNING && observed.phase() == DomainPhase.Paused) {
            return agent.resumeDomain(domainName, ownerUid);
        }
        return observed;
    }

    /** Resumes a paused domain that is about to be stopped, so that its guest can shut down gracefully. */
    static void resumeBeforeStop(AgentClient agent, String domainName, String ownerUid) throws AgentCallException {
        Optional<DomainStatus> domain = agent.getDomain(domainName);
        if (domain.isPresent() && domain.get().phase() == DomainPhase.Paused) {
            agent.resumeDomain(domainName, ownerUid);
        }
    }

    /**
     * One step of a graceful shutdown: asks the agent to stop the domain (ACPI, destroy after its timeout) unless it
     * is off already.
     *
     * @param stopped the domain's desired state with {@code running} false (and the owner's UID)
     * @return true once the domain is off (or absent)
     */
    static boolean shutDown(AgentClient agent, String domainName, DomainRequest stopped) throws AgentCallException {
        Optional<DomainStatus> domain = agent.getDomain(domainName);
        if (domain.isEmpty() || domain.get().phase() == DomainPhase.Stopped) {
            return true;
        }
        if (domain.get().phase() == DomainPhase.Paused) {
            agent.resumeDomain(domainName, stopped.ownerUid());
        }
        agent.putDomain(domainName, stopped);
        return false;
    }
}
