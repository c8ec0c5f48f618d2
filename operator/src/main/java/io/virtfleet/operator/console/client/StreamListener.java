package io.virtfleet.operator.console.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Writes what a console WebSocket receives to a stream, one frame at a time; {@link #done()} completes at its end. */
final class StreamListener implements WebSocket.Listener {
    private final OutputStream out;
    private final CompletableFuture<String> done = new CompletableFuture<>();

    StreamListener(OutputStream out) {
        this.out = out;
    }

    /** Completes with the close reason, or exceptionally with the failure. */
    CompletableFuture<String> done() {
        return done;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        try {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            out.write(bytes);
            out.flush();
            socket.request(1);
        } catch (IOException e) {
            done.completeExceptionally(e);
            socket.abort();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        done.complete(reason);
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        done.completeExceptionally(error);
    }
}
