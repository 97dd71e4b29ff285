package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.presence.common.app.App;
import io.presence.common.app.AppConnections;
import io.presence.common.app.AppMeters;
import io.presence.common.app.AppRegistry;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.node.NodeIdentity;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.protocol.Frames;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.jboss.logging.Logger;

/**
 * The Pusher Channels protocol 7 behind both endpoints ({@link PusherSocket}, {@link ResumableSocket}): connection
 * set-up and close, ping/pong, and dispatch of every frame to the file of its protocol feature ({@link Subscriptions},
 * {@link PresenceMembership}, {@link ClientEvents}, {@link SignIn}, {@link Resumption}). Runs on the event loop;
 * nothing here blocks.
 */
@ApplicationScoped
public class PusherProtocol {

    private static final Logger LOG = Logger.getLogger(PusherProtocol.class);

    private final Connections connections;
    private final Shutdown shutdown;
    private final Subscriptions subscriptions;
    private final ClientEvents clientEvents;
    private final SignIn signIn;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final AppRegistry apps;
    private final AppConnections quota;
    private final AppMeters meters;
    private final NodeIdentity nodeIdentity;
    private final Admission admission;
    private final FrameLimit frameLimit;
    private final Outboxes outboxes;
    private final Resumption resumption;
    /**
     * Socket ids are {node}.{random}: unique with overwhelming probability, and unguessable, since user-service closes
     * the sockets a session authorized by their ids (a guessed id, authorized by one's own session, must not let one
     * close someone else's socket).
     */
    private final long node = 1 + new SecureRandom().nextInt(Integer.MAX_VALUE - 1);
    private final SecureRandom socketIds = new SecureRandom();

    public PusherProtocol(Connections connections, Shutdown shutdown, Subscriptions subscriptions, ClientEvents clientEvents,
                          SignIn signIn, Frames frames, GatewayConfig config, AppRegistry apps,
                          AppConnections quota, AppMeters meters, NodeIdentity nodeIdentity, Admission admission,
                          ConnectionMetrics metrics, Outboxes outboxes, Resumption resumption) {
        this.resumption = resumption;
        this.connections = connections;
        this.outboxes = outboxes;
        this.shutdown = shutdown;
        this.subscriptions = subscriptions;
        this.clientEvents = clientEvents;
        this.signIn = signIn;
        this.frames = frames;
        this.limits = config.websocket();
        this.apps = apps;
        this.quota = quota;
        this.meters = meters;
        this.nodeIdentity = nodeIdentity;
        this.admission = admission;
        this.frameLimit = new FrameLimit(metrics);
    }

    /** A socket opened; {@code clientId} is a resumable client's id ({@code /c/<clientId>/app/<key>}), else null. */
    void open(WebSocketConnection socket, String clientId) {
        if (shutdown.draining()) {
            refuse(socket, CloseCode.GOING_AWAY, "server shutting down, reconnect");
            return;
        }
        String overCapacity = admission.admit(socket.id(), socket.handshakeRequest().remoteAddress());
        if (overCapacity != null) {
            refuse(socket, CloseCode.OVER_CAPACITY, overCapacity);
            return;
        }
        App app = apps.byKey(socket.pathParam("key")).orElse(null);
        if (app == null) {
            refuse(socket, CloseCode.UNKNOWN_APP, "unknown app key");
            return;
        }
        if (!app.enabled()) {
            refuse(socket, CloseCode.APP_DISABLED, "application disabled");
            return;
        }
        if (clientId != null && !Resumption.isClientId(clientId)) {
            refuse(socket, CloseCode.INVALID_CLIENT_ID, "a client id is 22-64 characters of A-Z a-z 0-9 _ - (at least 128 random bits)");
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
        if (channel != null) {
            if (channel.pipeline().get(IdleStateHandler.class) != null) {
                // HTTP's idle timeout: Liveness pings and closes silent sockets, and this handler costs a promise per frame
                channel.pipeline().remove(IdleStateHandler.class);
            }
            frameLimit.install(channel.pipeline());
            Backpressure.INSTANCE.install(channel.pipeline());
        }
        ClientConnection connection = new ClientConnection(socket, channel, channel == null ? null : outboxes.of(channel.executor()),
                app, node + "." + (socketIds.nextLong() >>> 1), resumption.enabled(app) ? clientId : null);
        int max = app.limits().maxConnections();
        if (max < 0) {
            // no limit: counted all the same (a limit may be set later), without waiting for Redis
            quota.acquire(app.id(), nodeIdentity.id(), -1).subscribe().with(ok -> { }, err -> LOG.debugf("connection not counted: %s", err));
            if (!admit(connection)) {
                release(connection);
            }
            return;
        }
        quota.acquire(app.id(), nodeIdentity.id(), max).subscribe().with(taken -> {
            if (!taken) {
                meters.refused(app.id(), "maxConnections");
                refuse(socket, CloseCode.OVER_CONNECTION_QUOTA, "over connection quota: the app has " + max + " connections");
            } else if (!admit(connection)) {
                release(connection);
            }
        }, err -> {
            LOG.debugf("connection quota not checked: %s", err);
            refuse(socket, CloseCode.GOING_AWAY, "server busy, reconnect");
        });
    }

    /**
     * Registers a connection and tells the client its socket id (a resumable one once it took over its client's
     * record, so its subscriptions find where the previous socket left off); false when the socket closed meanwhile.
     */
    private boolean admit(ClientConnection connection) {
        connections.register(connection);
        if (!connection.socket().isOpen() && connections.unregister(connection)) {
            return false;
        }
        if (connection.clientId() != null) {
            resumption.takeOver(connection).subscribe().with(ok -> {
                if (connection.isOpen()) {
                    established(connection);
                }
            }, err -> established(connection));
            return true;
        }
        established(connection);
        return true;
    }

    private void established(ClientConnection connection) {
        ObjectNode data = frames.json().createObjectNode();
        data.put("socket_id", connection.socketId());
        data.put("activity_timeout", limits.activityTimeout().toSeconds());
        connection.send(frames.event("pusher:connection_established", null, data));
        connection.requestReceipt(); // a resumable client that answers is known before its first event (see Receipts)
        connection.established();
    }

    private void release(ClientConnection connection) {
        quota.release(connection.app().id(), nodeIdentity.id()).subscribe().with(ok -> { }, err -> LOG.debugf("connection not released: %s", err));
    }

    /** A text frame from a client. */
    void message(String text, WebSocketConnection socket) {
        ClientConnection connection = connections.get(socket.id());
        if (connection == null) {
            return;
        }
        connection.whenEstablished(() -> handle(connection, text));
    }

    private void handle(ClientConnection connection, String text) {
        connection.activity().touch();
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
            case "pusher:pong" -> connection.ponged();
            case "pusher:subscribe" -> {
                if (subscriptions.withinBudget(connection)) {
                    subscriptions.subscribe(connection, data);
                }
            }
            case "pusher:unsubscribe" -> {
                if (subscriptions.withinBudget(connection)) {
                    subscriptions.unsubscribe(connection, data.path("channel").asText(""));
                }
            }
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

    /** A socket closed: a resumable one records what its client acknowledged, then it leaves everything. */
    void close(WebSocketConnection socket) {
        admission.release(socket.id());
        ClientConnection connection = connections.get(socket.id());
        if (connection == null) {
            return;
        }
        connection.discardEarly();
        resumption.record(connection).subscribe().with(ok -> { }, err -> LOG.warnf("positions of %s not recorded: %s",
                connection.socketId(), err.toString()));
        signIn.signOut(connection);
        subscriptions.unsubscribeAll(connection);
        if (connections.unregister(connection)) {
            release(connection);
        }
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
