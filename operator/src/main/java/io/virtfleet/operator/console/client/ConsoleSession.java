package io.virtfleet.operator.console.client;

import io.virtfleet.operator.console.ConsoleKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl virtfleet console NAME}: the serial console on this terminal. What is typed goes to the guest as it is
 * read (line by line unless the terminal is in raw mode, which the plugin's wrapper sets), what the guest prints goes to
 * standard output; end of input (Ctrl-D on an empty line) or the other side closing ends the session.
 */
public final class ConsoleSession {
    private ConsoleSession() {
    }

    /** @return the reason the session ended */
    public static String run(ConsoleEndpoint endpoint, String namespace, String name, InputStream in, OutputStream out)
            throws Exception {
        StreamListener listener = new StreamListener(out);
        WebSocket socket = endpoint.open(namespace, name, ConsoleKind.CONSOLE, listener).get(30, TimeUnit.SECONDS);
        Thread typing = Thread.ofVirtual().name("console-input").start(() -> forward(in, socket));
        try {
            return listener.done().get();
        } finally {
            typing.interrupt();
            socket.abort();
        }
    }

    private static void forward(InputStream in, WebSocket socket) {
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                socket.sendBinary(ByteBuffer.wrap(Arrays.copyOf(buffer, read)), true).join();
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "end of input").join();
        } catch (IOException | RuntimeException e) {
            socket.abort();
        }
    }
}
