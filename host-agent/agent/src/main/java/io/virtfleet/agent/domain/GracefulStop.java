package io.virtfleet.agent.domain;

import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops domains the polite way: ACPI shutdown, then destroy when the guest has not powered off within the timeout.
 * Runs in the background so that an HTTP call never waits for a guest; the domain's status shows when it is off.
 */
final class GracefulStop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final long POLL_MILLIS = 250;

    private final LibvirtConnection libvirt;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("domain-stop").daemon().factory());
    private final Map<String, ScheduledFuture<?>> stopping = new ConcurrentHashMap<>();

    GracefulStop(LibvirtConnection libvirt, Duration timeout) {
        this.libvirt = libvirt;
        this.timeout = timeout;
    }

    /** Asks the guest to shut down unless a stop is already under way. */
    void begin(String name) {
        stopping.computeIfAbsent(name, key -> {
            libvirt.call("shut down domain " + name, connect -> {
                connect.domainLookupByName(name).shutdown();
                return null;
            });
            long deadline = System.nanoTime() + timeout.toNanos();
            LOG.info("domain={} shutdown requested timeoutSeconds={}", name, timeout.toSeconds());
            return scheduler.scheduleWithFixedDelay(() -> check(name, deadline), POLL_MILLIS, POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        });
    }

    /** Forgets a stop in progress (the domain is being destroyed or started anyway). */
    void cancel(String name) {
        ScheduledFuture<?> check = stopping.remove(name);
        if (check != null) {
            check.cancel(false);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void check(String name, long deadline) {
        try {
            Domain domain = libvirt.call("check domain " + name, connect -> connect.domainLookupByName(name));
            if (domain.isActive() == 0) {
                LOG.info("domain={} phase=Stopped by=shutdown", name);
                cancel(name);
            } else if (System.nanoTime() > deadline) {
                domain.destroy();
                LOG.warn("domain={} phase=Stopped by=destroy reason=\"no shutdown within {}s\"", name, timeout.toSeconds());
                cancel(name);
            }
        } catch (LibvirtException e) {
            LOG.warn("domain={} stop check failed error={}", name, e.getMessage());
            if (LibvirtErrors.isNotFound(e)) {
                cancel(name);
            }
        } catch (RuntimeException e) { // gone, or libvirt unreachable: nothing left to stop from here
            LOG.warn("domain={} stop abandoned error={}", name, e.getMessage());
            cancel(name);
        }
    }
}
