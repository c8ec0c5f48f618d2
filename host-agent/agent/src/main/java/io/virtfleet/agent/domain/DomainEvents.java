package io.virtfleet.agent.domain;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.agent.libvirt.LibvirtConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observed run state of every domain on the host: libvirt lifecycle events as they happen (a guest powering
 * itself off, a crash, another tool starting a domain), plus a periodic full check that catches what events cannot
 * (a lost connection, changes while the agent was down). After libvirtd comes back the listener is registered on the
 * new connection and every domain re-read at once (listeners die with their connection). Every change is logged; a
 * stop is passed on so that a graceful stop in progress finishes at once.
 */
final class DomainEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainEvents.class);

    private final LibvirtConnection libvirt;
    private final Consumer<String> onStopped;
    private final Map<String, DomainPhase> observed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("domain-check").daemon().factory());
    /** Kept in a field: JNA callbacks must stay reachable while libvirt may call them. */
    private final LifecycleListener listener = this::onEvent;

    DomainEvents(LibvirtConnection libvirt, Duration checkInterval, Consumer<String> onStopped) {
        this.libvirt = libvirt;
        this.onStopped = onStopped;
        subscribe();
        libvirt.onReconnect(() -> {
            subscribe();
            checkAll();
        });
        checks.scheduleWithFixedDelay(this::checkAll, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last observed phase of a domain; empty when it is not defined (as far as the agent has seen). */
    Optional<DomainPhase> observed(String name) {
        return Optional.ofNullable(observed.get(name));
    }

    private void subscribe() {
        libvirt.call("subscribe to domain events", connect -> {
            connect.addLifecycleListener(listener);
            return null;
        });
    }

    @Override
    public void close() {
        checks.shutdownNow();
        try {
            libvirt.call("unsubscribe from domain events", connect -> {
                connect.removeLifecycleListener(listener);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("unsubscribe failed error={}", e.getMessage());
        }
    }

    private int onEvent(Domain domain, DomainEvent event) {
        try {
            String name = domain.getName();
            switch (event.getType()) {
                case UNDEFINED -> {
                    observed.remove(name);
                    LOG.info("domain={} event=UNDEFINED", name);
                }
                case STARTED, RESUMED -> record(name, DomainPhase.Running, "event " + event);
                case SUSPENDED, PMSUSPENDED -> record(name, DomainPhase.Paused, "event " + event);
                case CRASHED -> record(name, DomainPhase.Crashed, "event " + event);
                case STOPPED -> record(name, DomainPhase.Stopped, "event " + event);
                case DEFINED -> observed.putIfAbsent(name, DomainPhase.Stopped);
                default -> LOG.debug("domain={} event={}", name, event);
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("domain event not handled event={} error={}", event, e.toString());
        }
        return 0;
    }

    private synchronized void checkAll() { // the periodic check and a reconnect may overlap
        try {
            Map<String, DomainPhase> now = libvirt.call("list domains", connect -> {
                Map<String, DomainPhase> phases = new HashMap<>();
                for (Domain domain : connect.listAllDomains(0)) {
                    try {
                        phases.put(domain.getName(), DomainStatusReader.phase(domain.getInfo().state));
                    } catch (LibvirtException e) {
                        LOG.debug("domain vanished during the check error={}", e.getMessage());
                    }
                }
                return phases;
            });
            now.forEach((name, phase) -> record(name, phase, "periodic check"));
            observed.keySet().removeIf(name -> !now.containsKey(name));
        } catch (RuntimeException e) {
            LOG.warn("periodic domain check failed error={}", e.getMessage()); // the next one tries again
        }
    }

    private void record(String name, DomainPhase phase, String source) {
        DomainPhase before = observed.put(name, phase);
        if (before != phase) {
            LOG.info("domain={} observed phase={} before={} by=\"{}\"", name, phase, before, source);
            if (phase == DomainPhase.Stopped || phase == DomainPhase.Crashed) {
                onStopped.accept(name);
            }
        }
    }
}
