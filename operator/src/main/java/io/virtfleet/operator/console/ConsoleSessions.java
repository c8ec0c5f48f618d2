package io.virtfleet.operator.console;

import io.javalin.websocket.WsContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One session per console at a time, the newest wins (as {@code virtctl console} and {@code virsh console --force}):
 * a second authorized user opening the same VM's console closes the first one's session with a message saying so.
 * QEMU's socket serves a single client anyway; taking over is what a person locked out by a forgotten session needs.
 */
final class ConsoleSessions {
    private final ConcurrentMap<String, WsContext> open = new ConcurrentHashMap<>();

    /** Registers {@code session} for {@code key}, closing the one it replaces. */
    void takeOver(String key, WsContext session) {
        WsContext previous = open.put(key, session);
        if (previous != null && previous.session.isOpen()) {
            previous.closeSession(StatusCode.POLICY_VIOLATION, "another session opened this console");
        }
    }

    void release(String key, WsContext session) {
        open.remove(key, session);
    }

    int size() {
        return open.size();
    }
}
