package io.virtfleet.agent.contract;

/** Observed run state of a domain, folded from libvirt's domain states. */
public enum DomainPhase {
    Stopped, Running, Paused, Crashed
}
