package io.presence.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presence.common.presence.BusMessage;
import io.presence.common.presence.BusMessage.Audience;
import io.presence.common.presence.StatusChange;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.PusherApp;
import io.presence.common.pusher.PusherConfig;
import io.presence.gateway.config.GatewayConfig;
import io.presence.gateway.presence.Member;
import io.presence.gateway.presence.Occupancy;
import io.presence.gateway.presence.PresenceManager;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Pusher Channels protocol 7 endpoint: {@code ws://host:8080/app/{key}?protocol=7}. Connection set-up,
 * ping/pong, subscriptions to public, private and presence channels with signature checks, client events,
 * and user sign-in. Runs on the event loop; nothing here blocks.
 */
@WebSocket(path = "/app/{key}")
public class PusherSocket {

    private static final Logger LOG = Logger.getLogger(PusherSocket.class);
    private static final String SERVER_TO_USER = "#server-to-user-";
    private static final String STATUS_UPDATE = "client-status-update";

    private final Hub hub;
    private final Broker broker;
    private final Occupancy occupancy;
    private final PresenceManager presence;
    private final UserPresenceStore users;
    private final Frames frames;
    private final GatewayConfig.Websocket limits;
    private final Map<String, PusherApp> appsByKey;
    /** Socket ids are {node}.{sequence}: unique on this node, and across nodes with overwhelming probability. */
    private final long node = 1 + new SecureRandom().nextInt(Integer.MAX_VALUE - 1);
    private final AtomicLong sequence = new AtomicLong();

    public PusherSocket(Hub hub, Broker broker, Occupancy occupancy, PresenceManager presence, UserPresenceStore users,
                        Frames frames, GatewayConfig config, PusherConfig pusher) {
        this.hub = hub;
        this.broker = broker;
        this.occupancy = occupancy;
        this.presence = presence;
        this.users = users;
        this.frames = frames;
        this.limits = config.websocket();
        this.appsByKey = pusher.apps().stream().collect(Collectors.toMap(PusherApp::key, Function.identity()));
        broker.onResubscribed(this::resyncPresence);
    }

    @OnOpen
    @NonBlocking
    public void open(WebSocketConnection socket) {
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
        ClientConnection connection = new ClientConnection(socket, app, node + "." + sequence.incrementAndGet());
        hub.register(connection);
        ObjectNode data = frames.json().createObjectNode();
        data.put("socket_id", connection.socketId());
        data.put("activity_timeout", limits.activityTimeout().toSeconds());
        connection.send(frames.event("pusher:connection_established", null, data));
    }

    @OnTextMessage
    @NonBlocking
    public void message(String text, WebSocketConnection socket) {
        ClientConnection connection = hub.get(socket.id());
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
            case "pusher:subscribe" -> subscribe(connection, data);
            case "pusher:unsubscribe" -> unsubscribe(connection, data.path("channel").asText(""));
            case "pusher:signin" -> signIn(connection, data);
            default -> {
                if (event.startsWith("client-")) {
                    clientEvent(connection, event, frame);
                } else if (!event.startsWith("pusher:")) {
                    connection.send(frames.error(null, "unknown event " + event));
                }
            }
        }
    }

    @OnClose
    @NonBlocking
    public void close(WebSocketConnection socket) {
        ClientConnection connection = hub.get(socket.id());
        if (connection == null) {
            return;
        }
        for (String channel : connection.channels()) {
            unsubscribe(connection, channel);
        }
        hub.unregister(connection);
    }

    private void subscribe(ClientConnection connection, JsonNode data) {
        String channel = data.path("channel").asText("");
        if (!Channels.isValidName(channel, limits.maxChannelNameLength())) {
            connection.send(frames.subscriptionError(channel, "InvalidChannel",
                    "channel names are 1-" + limits.maxChannelNameLength() + " characters of a-z, A-Z, 0-9 and -_=@,.;", 400));
            return;
        }
        if (connection.isSubscribed(channel)) {
            if (Channels.isPresence(channel)) {
                presence.members(connection.app().id(), channel).subscribe().with(
                        members -> succeed(connection, channel, visibleTo(connection, members, connection.presenceMember(channel))),
                        err -> unavailable(connection, channel, err));
            } else {
                succeed(connection, channel, null);
            }
            return;
        }
        if (connection.subscriptionCount() >= limits.maxSubscriptionsPerConnection()) {
            connection.send(frames.subscriptionError(channel, "LimitReached",
                    "at most " + limits.maxSubscriptionsPerConnection() + " subscriptions per connection", 429));
            return;
        }
        if (channel.startsWith(SERVER_TO_USER)) {
            connection.send(frames.subscriptionError(channel, "AuthError", "sign in to receive your user channel", 403));
            return;
        }
        String auth = data.path("auth").asText(null);
        if (Channels.isPresence(channel)) {
            String channelData = data.path("channel_data").asText(null);
            if (channelData == null
                    || !connection.app().verifyAuth(auth, PusherApp.presenceChannelText(connection.socketId(), channel, channelData))) {
                authError(connection, channel);
                return;
            }
            joinPresence(connection, channel, channelData);
            return;
        }
        if (Channels.isPrivate(channel)
                && !connection.app().verifyAuth(auth, PusherApp.privateChannelText(connection.socketId(), channel))) {
            authError(connection, channel);
            return;
        }
        attach(connection, channel, null).subscribe().with(
                ok -> succeed(connection, channel, null),
                err -> unavailable(connection, channel, err));
    }

    /** Records the subscription locally and makes sure this gateway hears the channel's frames from every gateway. */
    private Uni<Void> attach(ClientConnection connection, String channel, Member member) {
        connection.hold(channel);
        connection.addSubscription(channel, member);
        occupancy.count(connection.app().id(), channel, 1);
        hub.subscribe(connection, channel);
        // not only the first local subscriber: everyone waits until Redis confirmed this gateway listens
        return broker.listen(connection.app().id(), channel);
    }

    /**
     * Attaches first (local hub, bus subscription confirmed, frames held), then joins: a member announced by a
     * concurrent join is either in the snapshot or held and sent after subscription_succeeded, never lost.
     */
    private void joinPresence(ClientConnection connection, String channel, String channelData) {
        Member member = parseMember(connection, channel, channelData);
        if (member == null) {
            return;
        }
        String appId = connection.app().id();
        attach(connection, channel, member)
                .chain(() -> users.blockers(member.userId()))
                .invoke(blockers -> connection.hide(union(connection.hidden(), blockers)))
                .chain(() -> presence.join(appId, channel, connection.connectionId(), member, limits.maxPresenceMembers()))
                .subscribe().with(join -> {
                    if (!connection.socket().isOpen()) {
                        // closed while joining: @OnClose may have missed this join, so undo it here
                        unsubscribe(connection, channel);
                        return;
                    }
                    succeed(connection, channel, visibleTo(connection, join.members(), join.member()));
                    if (join.firstConnectionOfUser() && !join.member().invisible()) {
                        publish(appId, channel, BusMessage.about(member.userId(), Audience.ALL,
                                frames.memberAdded(channel, join.member()), connection.socketId()));
                    }
                }, err -> {
                    unsubscribe(connection, channel);
                    if (err instanceof PresenceManager.ChannelFull) {
                        connection.send(frames.subscriptionError(channel, "LimitReached", err.getMessage(), 429));
                    } else {
                        unavailable(connection, channel, err);
                    }
                });
    }

    /** The members a connection may see: not those who blocked its user; itself always, even when invisible. */
    private static List<Member> visibleTo(ClientConnection connection, List<Member> members, Member self) {
        List<Member> visible = new ArrayList<>(members.size() + 1);
        boolean selfListed = false;
        for (Member m : members) {
            if (connection.hides(m.userId())) {
                continue;
            }
            selfListed |= self != null && m.userId().equals(self.userId());
            visible.add(m);
        }
        if (self != null && !selfListed) {
            visible.add(self);
        }
        return visible;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The member described by channel_data, or null after answering a subscription error. */
    private Member parseMember(ClientConnection connection, String channel, String channelData) {
        try {
            JsonNode parsed = frames.json().readTree(channelData);
            JsonNode userId = parsed.path("user_id");
            if (!(userId.isTextual() || userId.isNumber()) || userId.asText().isEmpty()) {
                throw new IllegalArgumentException("channel_data needs a user_id");
            }
            JsonNode userInfo = parsed.has("user_info") ? parsed.get("user_info") : frames.json().createObjectNode();
            if (frames.json().writeValueAsBytes(userInfo).length > limits.maxUserInfoBytes()) {
                connection.send(frames.subscriptionError(channel, "LimitReached",
                        "user_info is larger than " + limits.maxUserInfoBytes() + " bytes", 413));
                return null;
            }
            return new Member(userId.asText(), userInfo);
        } catch (Exception e) {
            connection.send(frames.subscriptionError(channel, "InvalidChannelData",
                    "channel_data must be JSON with a user_id", 400));
            return null;
        }
    }

    private void succeed(ClientConnection connection, String channel, List<Member> members) {
        if (members == null) {
            connection.release(channel, frames.eventWithRawData("pusher_internal:subscription_succeeded", channel, "{}"));
            return;
        }
        connection.release(channel, presenceSnapshot(channel, members));
    }

    /**
     * After the bus was cut (member_added / removed / updated may have been lost), every local presence subscriber
     * gets the current member list again as a new subscription_succeeded: pusher-js and Laravel Echo replace their
     * member lists with it.
     */
    void resyncPresence() {
        for (ClientConnection connection : hub.all()) {
            for (String channel : connection.channels()) {
                Member self = connection.presenceMember(channel);
                if (self == null) {
                    continue;
                }
                presence.members(connection.app().id(), channel).subscribe().with(
                        members -> connection.deliver(channel, presenceSnapshot(channel, visibleTo(connection, members, self))),
                        err -> LOG.warnf("resyncing %s failed: %s", channel, err.toString()));
            }
        }
    }

    private String presenceSnapshot(String channel, List<Member> members) {
        ObjectNode data = frames.json().createObjectNode();
        ObjectNode presenceNode = data.putObject("presence");
        var ids = presenceNode.putArray("ids");
        ObjectNode hash = presenceNode.putObject("hash");
        for (Member m : members) {
            ids.add(m.userId());
            hash.set(m.userId(), m.userInfo());
        }
        presenceNode.put("count", members.size());
        return frames.event("pusher_internal:subscription_succeeded", channel, data);
    }

    private void authError(ClientConnection connection, String channel) {
        connection.send(frames.subscriptionError(channel, "AuthError", "invalid signature for " + channel, 401));
    }

    private void unavailable(ClientConnection connection, String channel, Throwable err) {
        LOG.warnf("subscription to %s failed: %s", channel, err.toString());
        if (connection.isSubscribed(channel)) {
            unsubscribe(connection, channel);
        }
        connection.send(frames.subscriptionError(channel, "ServiceUnavailable", "presence store unavailable, retry", 503));
    }

    private void unsubscribe(ClientConnection connection, String channel) {
        if (!connection.isSubscribed(channel)) {
            return;
        }
        String appId = connection.app().id();
        Member member = connection.presenceMember(channel);
        connection.removeSubscription(channel);
        occupancy.count(appId, channel, -1);
        if (hub.unsubscribe(connection, channel)) {
            broker.stopListening(appId, channel).subscribe().with(ok -> { }, err -> LOG.debugf("unsubscribe bus: %s", err));
        }
        if (member != null) {
            presence.leave(appId, channel, connection.connectionId()).subscribe().with(leave -> {
                if (leave.isPresent() && leave.get().lastConnectionOfUser() && leave.get().wasVisible()) {
                    String userId = leave.get().userId();
                    publish(appId, channel, BusMessage.about(userId, Audience.ALL, frames.memberRemoved(channel, userId), null));
                }
            }, err -> LOG.warnf("leaving %s failed (the reaper will clean up if this node dies): %s", channel, err.toString()));
        }
    }

    private void publish(String appId, String channel, BusMessage message) {
        broker.publish(appId, channel, message)
                .subscribe().with(ok -> { }, err -> LOG.warnf("publishing to %s failed: %s", channel, err.toString()));
    }

    private void clientEvent(ClientConnection connection, String event, JsonNode frame) {
        String channel = frame.path("channel").asText("");
        if (!(Channels.isPrivate(channel) || Channels.isPresence(channel))) {
            connection.send(frames.error(null, "client events are only allowed on private and presence channels"));
            return;
        }
        if (!connection.isSubscribed(channel)) {
            connection.send(frames.error(null, "subscribe to " + channel + " before sending client events on it"));
            return;
        }
        if (!connection.allowClientEvent(limits.clientEventsPerSecond(), System.nanoTime())) {
            connection.send(frames.error(CloseCode.CLIENT_EVENT_RATE_LIMIT.code(), "client event rejected: more than "
                    + limits.clientEventsPerSecond() + " per second"));
            return;
        }
        JsonNode data = frame.get("data");
        String payload = data == null ? "{}" : data.isTextual() ? data.asText() : data.toString();
        ObjectNode out = frames.json().createObjectNode();
        out.put("event", event);
        out.put("channel", channel);
        out.put("data", payload);
        String user = connection.presenceUser(channel);
        if (user != null) {
            out.put("user_id", user);
        }
        if (user != null && STATUS_UPDATE.equals(event)) {
            StatusChange change;
            try {
                change = StatusChange.parse(frames.json().readTree(payload), System.currentTimeMillis());
            } catch (StatusChange.Invalid e) {
                connection.send(frames.error(null, "client-status-update refused: " + e.getMessage()));
                return;
            } catch (Exception e) {
                connection.send(frames.error(null, "client-status-update refused: data must be a JSON object"));
                return;
            }
            users.status(user)
                    .chain(current -> users.setStatus(user, change.applyTo(current), null))
                    .subscribe().with(told -> { }, err -> connection.send(frames.error(null, "status not saved, retry")));
        }
        publish(connection.app().id(), channel, BusMessage.toAll(out.toString(), connection.socketId()));
    }

    private void signIn(ClientConnection connection, JsonNode data) {
        String auth = data.path("auth").asText(null);
        String userData = data.path("user_data").asText(null);
        String userId = null;
        if (userData != null && connection.app().verifyAuth(auth, PusherApp.userSignInText(connection.socketId(), userData))) {
            try {
                JsonNode id = frames.json().readTree(userData).path("id");
                userId = id.isTextual() || id.isNumber() ? id.asText() : null;
            } catch (Exception e) {
                userId = null;
            }
        }
        if (userId == null || userId.isEmpty()) {
            connection.send(frames.error(CloseCode.UNAUTHORIZED.code(), "sign-in refused: invalid signature or user_data"));
            return;
        }
        if (connection.signedInUserId() != null) {
            unsubscribe(connection, SERVER_TO_USER + connection.signedInUserId());
        }
        connection.signIn(userId);
        ObjectNode success = frames.json().createObjectNode();
        success.put("user_data", userData);
        String signedIn = success.toString();
        String userChannel = SERVER_TO_USER + userId;
        attach(connection, userChannel, null).subscribe().with(
                ok -> connection.release(userChannel, frames.eventWithRawData("pusher:signin_success", null, signedIn)),
                err -> connection.send(frames.error(null, "sign-in failed: event bus unavailable, retry")));
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
