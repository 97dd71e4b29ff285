package io.presence.gateway.ws;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/** The Pusher Channels protocol 7 endpoint, {@code ws://host:8080/app/{key}?protocol=7} (see {@link PusherProtocol}). */
@WebSocket(path = "/app/{key}")
public class PusherSocket {

    private final PusherProtocol protocol;

    public PusherSocket(PusherProtocol protocol) {
        this.protocol = protocol;
    }

    @OnOpen
    @NonBlocking
    public void open(WebSocketConnection socket) {
        protocol.open(socket, null);
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
