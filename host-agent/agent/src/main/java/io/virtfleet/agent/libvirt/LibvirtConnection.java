package io.virtfleet.agent.libvirt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one libvirt connection, shared by all threads (libvirt connections are thread-safe; one shared
 * {@link Connect} was measured doing 1,600 define/start/destroy/undefine cycles from 8 threads), and kept open:
 * when libvirtd goes away (restarted by a package upgrade, killed) calls fail at once with
 * {@code LibvirtUnavailable} while a background thread reconnects with backoff; once back, every
 * {@link #onReconnect} action runs (events re-registered, state re-read) before calls go to the new connection.
 *
 * <p>A break is noticed three ways: libvirt's close callback (the event loop sees the socket close), a call failing
 * on a connection that is no longer alive, and a periodic {@code isAlive} check (local, no round trip).
 */
public final class LibvirtConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);
    /**
     * libvirt's default error handler prints every error to stderr, including the expected "not found" answers of
     * lookups. This no-op callback silences it; the exceptions still carry the message. Kept in a static field
     * because JNA callbacks must stay reachable for as long as libvirt may call them.
     */
    private static final ErrorCallback SILENT_ERRORS = new ErrorCallback();
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration MAX_RETRY = Duration.ofSeconds(10);
    private static final Duration ALIVE_CHECK = Duration.ofSeconds(2);

    private static Thread eventLoop;

    private final String uri;
    private final Clock clock;
    private final List<Runnable> onReconnect = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdog;
    /** The current connection's close callback, kept in a field: JNA callbacks must stay reachable. */
    private volatile ConnectionCloseListener closeListener;
    /** The live connection; null while libvirtd is unreachable. */
    private volatile Connect connect;
    /** When the connection was lost; null while connected. */
    private volatile Instant downSince;
    private Duration nextRetry = FIRST_RETRY;
    private boolean closed;

    private LibvirtConnection(String uri, Connect connect, Clock clock) {
        this.uri = uri;
        this.clock = clock;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("libvirt-watchdog").daemon().factory());
        install(connect);
        watchdog.scheduleWithFixedDelay(this::checkAlive, ALIVE_CHECK.toMillis(), ALIVE_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Connects once (a wrong URI or a missing libvirtd fails the agent's start, as it should), then keeps it. */
    public static LibvirtConnection open(String uri) {
        try {
            Connect.setErrorCallback(SILENT_ERRORS);
            startEventLoop();
            Connect connect = new Connect(uri);
            LOG.info("libvirt connected uri={} libvirtVersion={}", uri, connect.getLibVersion());
            return new LibvirtConnection(uri, connect, Clock.systemUTC());
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate("connect to " + uri, e);
        }
    }

    /**
     * Runs a libvirt call, turning its exception into an {@link io.virtfleet.agent.AgentException}; while libvirtd is
     * unreachable it fails at once with {@code LibvirtUnavailable} (503).
     */
    public <T> T call(String operation, LibvirtCall<T> call) {
        Connect current = connect;
        if (current == null) {
            throw LibvirtErrors.unavailable(operation, uri, downSince);
        }
        try {
            return call.apply(current);
        } catch (LibvirtException e) {
            if (!alive(current)) {
                lost(current, "call failed: " + e.getMessage());
                throw LibvirtErrors.unavailable(operation, uri, downSince);
            }
            throw LibvirtErrors.translate(operation, e);
        }
    }

    /**
     * Runs {@code action} after every reconnect, on the reconnecting thread, in registration order: re-register
     * event listeners, re-read state. A failing action is logged; the others still run.
     */
    public void onReconnect(Runnable action) {
        onReconnect.add(action);
    }

    /** How long libvirtd has been unreachable; empty while connected. */
    public Optional<Duration> downFor() {
        Instant since = downSince;
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, clock.instant()));
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        Connect current;
        synchronized (this) {
            closed = true;
            current = connect;
            connect = null;
        }
        watchdog.shutdownNow();
        if (current != null) {
            closeQuietly(current);
        }
    }

    private void install(Connect fresh) {
        // Handled on the watchdog thread: libvirt runs the callback holding a lock that closing the connection takes.
        closeListener = (ignored, reason) -> {
            try {
                watchdog.execute(() -> lost(fresh, "closed: " + reason));
            } catch (RejectedExecutionException e) {
                LOG.debug("connection closed while the agent stops uri={}", uri);
            }
        };
        try {
            fresh.registerCloseListener(closeListener);
        } catch (LibvirtException e) {
            LOG.debug("no close callback uri={} error={}", uri, e.getMessage()); // the periodic check still notices
        }
        connect = fresh;
    }

    /** Marks {@code broken} as lost (once, and only if it is still the current connection) and starts reconnecting. */
    private void lost(Connect broken, String why) {
        synchronized (this) {
            if (closed || connect != broken) {
                return;
            }
            connect = null;
            downSince = clock.instant();
            nextRetry = FIRST_RETRY;
        }
        LOG.warn("libvirt connection lost uri={} why=\"{}\"; reconnecting", uri, why);
        closeQuietly(broken);
        watchdog.execute(this::reconnect);
    }

    private void checkAlive() {
        Connect current = connect;
        if (current != null && !alive(current)) {
            lost(current, "connection no longer alive");
        }
    }

    private void reconnect() {
        Connect fresh;
        try {
            fresh = new Connect(uri);
        } catch (LibvirtException e) {
            Duration wait;
            synchronized (this) {
                if (closed) {
                    return;
                }
                wait = nextRetry;
                nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
            }
            LOG.debug("libvirt reconnect failed uri={} retryIn={} error={}", uri, wait, e.getMessage());
            watchdog.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Duration down = downFor().orElse(Duration.ZERO);
        synchronized (this) {
            if (closed) {
                closeQuietly(fresh);
                return;
            }
            install(fresh);
        }
        // Actions run after the connection is installed (they call through it) and before readiness is reported.
        for (Runnable action : onReconnect) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("after reconnecting uri={} an action failed error={}", uri, e.getMessage());
            }
        }
        downSince = null;
        LOG.info("libvirt reconnected uri={} downFor={}", uri, down);
    }

    private static boolean alive(Connect connect) {
        try {
            return connect.isAlive();
        } catch (LibvirtException | RuntimeException e) {
            return false;
        }
    }

    private void closeQuietly(Connect connection) {
        try {
            connection.unregisterCloseListener();
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("unregister close callback failed uri={} error={}", uri, e.getMessage());
        }
        try {
            connection.close();
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("libvirt close failed uri={} error={}", uri, e.getMessage());
        }
    }

    /**
     * libvirt delivers domain events and close callbacks only to connections opened after an event loop was
     * registered, and only while a thread runs it; one loop per process serves every connection.
     */
    private static synchronized void startEventLoop() throws LibvirtException {
        if (eventLoop != null) {
            return;
        }
        Library.initEventLoop();
        eventLoop = Thread.ofPlatform().name("libvirt-events").daemon().start(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException | InterruptedException e) {
                LOG.warn("libvirt event loop stopped error={}", e.toString());
            }
        });
    }

    /** A call against the connection that may throw libvirt's checked exception. */
    @FunctionalInterface
    public interface LibvirtCall<T> {
        T apply(Connect connect) throws LibvirtException;
    }
}
