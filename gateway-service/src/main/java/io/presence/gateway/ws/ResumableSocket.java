package io.presence.gateway.ws;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The same protocol for a resumable client, {@code ws://host:8080/c/{clientId}/app/{key}?protocol=7}: what pusher-js
 * opens with {@code wsPath: '/c/<clientId>'}. A reconnect with the same client id gets every event it missed on the
 * channels it subscribes to again ({@link Resumption}).
 */
@WebSocket(path = "/c/{clientId}/app/{key}")
public class ResumableSocket {

    private final PusherProtocol protocol;

    public ResumableSocket(PusherProtocol protocol) {
        this.protocol = protocol;
    }

    @OnOpen
    @NonBlocking
    public void open(WebSocketConnection socket) {
        protocol.open(socket, socket.pathParam("clientId"));
    }

    @OnTextMessage
    @NonBlocking
    public void message(String text, WebSocketConnection socket) {
        protocol.message(text, socket);
    }

    @OnClose
    @NonBlocking
    public void close(WebSocketConnection socket) {
        protocol.close(socket);
    }
}
