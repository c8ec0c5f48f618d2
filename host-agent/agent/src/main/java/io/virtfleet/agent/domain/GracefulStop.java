package io.virtfleet.agent.domain;

import io.virtfleet.agent.libvirt.LibvirtConnection;
import io.virtfleet.agent.libvirt.LibvirtErrors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * What must follow a stop (a deletion) is handed over as a callback and runs once the domain is off, on this class's
 * own thread.
 */
final class GracefulStop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final long POLL_MILLIS = 250;

    private final LibvirtConnection libvirt;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("domain-stop").daemon().factory());
    private final Map<String, Stop> stopping = new ConcurrentHashMap<>();

    /** One stop under way: its periodic check and what runs once the domain is off. */
    private record Stop(ScheduledFuture<?> check, List<Runnable> whenOff) {
    }

    GracefulStop(LibvirtConnection libvirt, Duration timeout) {
        this.libvirt = libvirt;
        this.timeout = timeout;
    }

    /** Asks the guest to shut down unless a stop is already under way. */
    void begin(String name) {
        begin(name, null);
    }

    /**
     * Asks the guest to shut down unless a stop is already under way; {@code whenOff} (may be null) runs once the
     * domain is off, whether the guest shut down or was destroyed, also when it joins a stop begun earlier.
     */
    void begin(String name, Runnable whenOff) {
        Stop stop = stopping.computeIfAbsent(name, key -> {
            libvirt.call("shut down domain " + name, connect -> {
                connect.domainLookupByName(name).shutdown();
                return null;
            });
            long deadline = System.nanoTime() + timeout.toNanos();
            LOG.info("domain={} shutdown requested timeoutSeconds={}", name, timeout.toSeconds());
            return new Stop(scheduler.scheduleWithFixedDelay(() -> check(name, deadline), POLL_MILLIS, POLL_MILLIS,
                    TimeUnit.MILLISECONDS), new CopyOnWriteArrayList<>());
        });
        if (whenOff != null) {
            stop.whenOff().add(whenOff);
        }
    }

    /** Whether a stop of this domain is under way. */
    boolean stopping(String name) {
        return stopping.containsKey(name);
    }

    /** Forgets a stop in progress and what was to follow it (the domain is being destroyed or started anyway). */
    void cancel(String name) {
        Stop stop = stopping.remove(name);
        if (stop != null) {
            stop.check().cancel(false);
        }
    }

    /** The domain is off (seen by a check or by a libvirt event): the stop ends and what follows it runs. */
    void stopped(String name) {
        Stop stop = stopping.remove(name);
        if (stop != null) {
            stop.check().cancel(false);
            // Never on the caller's thread: libvirt's event loop must not wait for a deletion.
            stop.whenOff().forEach(scheduler::execute);
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
                stopped(name);
            } else if (System.nanoTime() > deadline) {
                domain.destroy();
                LOG.warn("domain={} phase=Stopped by=destroy reason=\"no shutdown within {}s\"", name, timeout.toSeconds());
                stopped(name);
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
