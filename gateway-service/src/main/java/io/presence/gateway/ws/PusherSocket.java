package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.presence.common.pusher.PusherApp;
import io.presence.common.pusher.PusherConfig;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Pusher Channels protocol 7 endpoint, {@code ws://host:8080/app/{key}?protocol=7}: connection set-up and
 * close, ping/pong, and dispatch of every frame to the file of its protocol feature ({@link Subscriptions},
 * {@link PresenceChannels}, {@link ClientEvents}, {@link SignIn}). Runs on the event loop; nothing here blocks.
 */
@WebSocket(path = "/app/{key}")
public class PusherSocket {

    private static final Logger LOG = Logger.getLogger(PusherSocket.class);

    private final Connections connections;
    private final Shutdown shutdown;
    private final Subscriptions subscriptions;
    private final ClientEvents clientEvents;
    private final SignIn signIn;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final Map<String, PusherApp> appsByKey;
    /** Socket ids are {node}.{sequence}: unique on this node, and across nodes with overwhelming probability. */
    private final long node = 1 + new SecureRandom().nextInt(Integer.MAX_VALUE - 1);
    private final AtomicLong sequence = new AtomicLong();

    public PusherSocket(Connections connections, Shutdown shutdown, Subscriptions subscriptions, ClientEvents clientEvents,
                        SignIn signIn, Frames frames, GatewayConfig config, PusherConfig pusher) {
        this.connections = connections;
        this.shutdown = shutdown;
        this.subscriptions = subscriptions;
        this.clientEvents = clientEvents;
        this.signIn = signIn;
        this.frames = frames;
        this.limits = config.websocket();
        this.appsByKey = pusher.apps().stream().collect(Collectors.toMap(PusherApp::key, Function.identity()));
    }

    @OnOpen
    @NonBlocking
    public void open(WebSocketConnection socket) {
        if (shutdown.draining()) {
            refuse(socket, CloseCode.GOING_AWAY, "server shutting down, reconnect");
            return;
        }
        PusherApp app = appsByKey.get(socket.pathParam("key"));
        if (app == null) {
            refuse(socket, CloseCode.UNKNOWN_APP, "unknown app key");
            return;
        }
        String protocol = queryParam(socket.handshakeRequest().query(), "protocol");
        if (protocol == null) {
            refuse(socket, CloseCode.PROTOCOL_MISSING, "no protocol version given");
            return;
        }
        if (!protocol.equals("5") && !protocol.equals("6") && !protocol.equals("7")) {
            refuse(socket, CloseCode.PROTOCOL_UNSUPPORTED, "protocol " + protocol + " is not supported; use 7");
            return;
        }
        ChannelHandlerContext channel = NettyChannels.of(socket).orElse(null);
        if (channel != null && channel.pipeline().get(IdleStateHandler.class) != null) {
            // HTTP's idle timeout: Liveness pings and closes silent sockets, and this handler costs a promise per frame
            channel.pipeline().remove(IdleStateHandler.class);
        }
        ClientConnection connection = new ClientConnection(socket, channel, channel == null ? null : connections.outbox(channel.executor()),
                app, node + "." + sequence.incrementAndGet());
        connections.register(connection);
        ObjectNode data = frames.json().createObjectNode();
        data.put("socket_id", connection.socketId());
        data.put("activity_timeout", limits.activityTimeout().toSeconds());
        connection.send(frames.event("pusher:connection_established", null, data));
    }

    @OnTextMessage
    @NonBlocking
    public void message(String text, WebSocketConnection socket) {
        ClientConnection connection = connections.get(socket.id());
        if (connection == null) {
            return;
        }
        connection.touch();
        if (text.getBytes(StandardCharsets.UTF_8).length > limits.maxFrameBytes()) {
            connection.send(frames.error(null, "frame larger than " + limits.maxFrameBytes() + " bytes"));
            return;
        }
        JsonNode frame;
        try {
            frame = frames.json().readTree(text);
        } catch (Exception e) {
            connection.send(frames.error(null, "frames must be JSON objects"));
            return;
        }
        if (frame == null || !frame.isObject() || !frame.path("event").isTextual()) {
            connection.send(frames.error(null, "a frame needs an event name"));
            return;
        }
        String event = frame.get("event").asText();
        JsonNode data = dataOf(frame.get("data"));
        switch (event) {
            case "pusher:ping" -> connection.send(frames.eventWithRawData("pusher:pong", null, "{}"));
            case "pusher:pong" -> { }
            case "pusher:subscribe" -> subscriptions.subscribe(connection, data);
            case "pusher:unsubscribe" -> subscriptions.unsubscribe(connection, data.path("channel").asText(""));
            case "pusher:signin" -> signIn.signIn(connection, data);
            default -> {
                if (event.startsWith("client-")) {
                    clientEvents.handle(connection, event, frame);
                } else if (!event.startsWith("pusher:")) {
                    connection.send(frames.error(null, "unknown event " + event));
                }
            }
        }
    }

    @OnClose
    @NonBlocking
    public void close(WebSocketConnection socket) {
        ClientConnection connection = connections.get(socket.id());
        if (connection == null) {
            return;
        }
        signIn.signOut(connection);
        subscriptions.unsubscribeAll(connection);
        connections.unregister(connection);
    }

    private void refuse(WebSocketConnection socket, CloseCode code, String message) {
        socket.sendText(frames.error(code.code(), message))
                .onTermination().call(() -> socket.close(new CloseReason(code.code(), message)))
                .subscribe().with(ok -> { }, err -> LOG.debugf("refusing socket: %s", err.toString()));
    }

    /** pusher-js sends data as an object, some clients as a JSON string: accept both. */
    private JsonNode dataOf(JsonNode data) {
        if (data != null && data.isTextual()) {
            try {
                JsonNode parsed = frames.json().readTree(data.asText());
                return parsed == null ? frames.json().createObjectNode() : parsed;
            } catch (Exception e) {
                return frames.json().createObjectNode();
            }
        }
        return data == null ? frames.json().createObjectNode() : data;
    }

    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return null;
    }
}
