package io.virtfleet.agent.api;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one WebSocket session to a UNIX socket on the host, bytes both ways: frames from the client are written to the
 * socket (binary as they are, text as UTF-8), what the socket gives is sent as binary frames by one virtual thread,
 * whose blocking sends slow the socket down to what the client takes. Either side closing closes the other.
 */
final class SocketRelay {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRelay.class);
    private static final String CHANNEL = "virtfleet.socket";
    private static final int BUFFER_BYTES = 16 * 1024;
    /**
     * Jetty's default (30 s) would end a console whose guest is quiet; the caller (the operator's gateway) enforces
     * users' idle and session limits, this only reclaims a session whose caller vanished without closing.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(24);

    private SocketRelay() {
    }

    /** @param socket the socket for a session (checked again at connect: the domain may have stopped since) */
    static void configure(WsConfig ws, String what, Function<WsContext, Path> socket) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(IDLE_TIMEOUT);
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket.apply(ctx)));
            ctx.attribute(CHANNEL, channel);
            LOG.info("{} session={} opened from={}", what, ctx.sessionId(), ctx.session.getRemoteAddress());
            Thread.ofVirtual().name(what + "-" + ctx.sessionId()).start(() -> pump(channel, ctx, what));
        });
        ws.onBinaryMessage(ctx -> write(ctx, ByteBuffer.wrap(ctx.data(), ctx.offset(), ctx.length())));
        ws.onMessage(ctx -> write(ctx, ByteBuffer.wrap(ctx.message().getBytes(StandardCharsets.UTF_8))));
        ws.onClose(ctx -> close(ctx, what));
        ws.onError(ctx -> close(ctx, what));
    }

    private static void write(WsContext ctx, ByteBuffer data) throws IOException {
        SocketChannel channel = ctx.attribute(CHANNEL);
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private static void pump(SocketChannel channel, WsContext ctx, String what) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                ctx.session.getRemote().sendBytes(buffer);
                buffer.clear();
            }
            ctx.closeSession(StatusCode.NORMAL, what + " closed by the host");
        } catch (IOException e) {
            if (ctx.session.isOpen()) {
                ctx.closeSession(StatusCode.SERVER_ERROR, what + " failed: " + e.getMessage());
            }
        }
    }

    private static void close(WsContext ctx, String what) {
        SocketChannel channel = ctx.attribute(CHANNEL);
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{} session={} close error={}", what, ctx.sessionId(), e.getMessage());
            }
            LOG.info("{} session={} closed", what, ctx.sessionId());
        }
    }
}
