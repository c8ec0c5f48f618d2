package io.virtfleet.operator.console;

import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * The agent's side of one console session: what the agent sends goes to the user's WebSocket with blocking sends
 * (so a slow user slows the agent's socket down, nothing piles up), one frame requested at a time; the agent
 * closing or failing closes the user's session.
 */
final class AgentRelay implements WebSocket.Listener {
    private final WsContext user;

    AgentRelay(WsContext user) {
        this.user = user;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket agent, ByteBuffer data, boolean last) {
        try {
            user.session.getRemote().sendBytes(data);
            agent.request(1);
        } catch (IOException e) {
            agent.abort();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket agent, int statusCode, String reason) {
        if (user.session.isOpen()) {
            user.closeSession(StatusCode.NORMAL, "the console closed: " + reason);
        }
        return null;
    }

    @Override
    public void onError(WebSocket agent, Throwable error) {
        if (user.session.isOpen()) {
            user.closeSession(StatusCode.SERVER_ERROR, "the node's console failed: " + error.getMessage());
        }
    }
}
