package io.virtfleet.operator.console.client;

import io.virtfleet.operator.console.ConsoleKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl virtfleet vnc NAME}: listens on 127.0.0.1 only (never another address) and relays each VNC viewer
 * that connects, one at a time, to the VM's VNC display through the Kubernetes API; point a viewer at the printed port.
 */
public final class VncForwarder implements AutoCloseable {
    private final ServerSocket listener;
    private final ConsoleEndpoint endpoint;
    private final String namespace;
    private final String name;

    private VncForwarder(ServerSocket listener, ConsoleEndpoint endpoint, String namespace, String name) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.namespace = namespace;
        this.name = name;
    }

    /** @param port the local port; 0 picks a free one ({@link #port()}) */
    public static VncForwarder listen(ConsoleEndpoint endpoint, String namespace, String name, int port) throws IOException {
        return new VncForwarder(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()), endpoint, namespace, name);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Serves viewers until closed. */
    public void serve() throws IOException {
        while (!listener.isClosed()) {
            try (Socket viewer = listener.accept()) {
                relay(viewer);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                System.err.println("vnc: " + e.getMessage());
            }
        }
    }

    private void relay(Socket viewer) throws IOException {
        StreamListener toViewer = new StreamListener(viewer.getOutputStream());
        WebSocket socket;
        try {
            socket = endpoint.open(namespace, name, ConsoleKind.VNC, toViewer).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot open the VNC display of " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        InputStream in = viewer.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while (!toViewer.done().isDone() && (read = in.read(buffer)) >= 0) {
            socket.sendBinary(ByteBuffer.wrap(Arrays.copyOf(buffer, read)), true).join();
        }
        socket.abort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
