package io.presence.gateway.ws;

import io.presence.common.pusher.PusherApp;
import io.presence.gateway.presence.Member;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One client socket: its app, socket id, subscriptions (with the presence user per channel) and liveness. */
public final class ClientConnection {

    private final WebSocketConnection socket;
    private final PusherApp app;
    private final String socketId;
    /** Subscribed channels; for presence channels the member this connection joined as. */
    private final Map<String, Optional<Member>> subscriptions = new ConcurrentHashMap<>();
    /** Frames held back per channel until that channel's subscription_succeeded has been sent. */
    private final Map<String, List<String>> held = new HashMap<>();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean pinged;
    private volatile String signedInUserId;
    /** Users who blocked the user(s) this connection is present as: their presence never reaches it. */
    private volatile Set<String> hidden = Set.of();
    private long rateWindowStart;
    private int rateCount;

    ClientConnection(WebSocketConnection socket, PusherApp app, String socketId) {
        this.socket = socket;
        this.app = app;
        this.socketId = socketId;
    }

    public WebSocketConnection socket() {
        return socket;
    }

    public PusherApp app() {
        return app;
    }

    public String socketId() {
        return socketId;
    }

    public String connectionId() {
        return socket.id();
    }

    void send(String frame) {
        if (socket.isOpen()) {
            socket.sendText(frame).subscribe().with(ok -> { }, err -> { });
        }
    }

    /** From now on, frames of this channel wait until {@link #release} (the subscription is being set up). */
    synchronized void hold(String channel) {
        held.putIfAbsent(channel, new ArrayList<>());
    }

    /** Sends a channel's frame now, or after the channel's subscription_succeeded if that is still to come. */
    synchronized void deliver(String channel, String frame) {
        List<String> waiting = held.get(channel);
        if (waiting != null) {
            waiting.add(frame);
        } else {
            send(frame);
        }
    }

    /** Sends subscription_succeeded, then whatever arrived for the channel meanwhile, in order. */
    synchronized void release(String channel, String succeeded) {
        List<String> waiting = held.remove(channel);
        send(succeeded);
        if (waiting != null) {
            waiting.forEach(this::send);
        }
    }

    private synchronized void dropHeld(String channel) {
        held.remove(channel);
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
        pinged = false;
    }

    long idleNanos(long now) {
        return now - lastActivityNanos;
    }

    boolean pinged() {
        return pinged;
    }

    void markPinged() {
        pinged = true;
    }

    boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Records a subscription; {@code member} is null for non-presence channels. */
    void addSubscription(String channel, Member member) {
        subscriptions.put(channel, Optional.ofNullable(member));
    }

    /** The member this connection joined a presence channel as, if any. */
    Member presenceMember(String channel) {
        Optional<Member> member = subscriptions.get(channel);
        return member == null ? null : member.orElse(null);
    }

    /** The user id this connection joined the channel as, if it is a presence channel. */
    String presenceUser(String channel) {
        Member member = presenceMember(channel);
        return member == null ? null : member.userId();
    }

    void removeSubscription(String channel) {
        subscriptions.remove(channel);
        dropHeld(channel);
    }

    /** The users this connection is in presence channels as (usually one). */
    Set<String> presenceUsers() {
        Set<String> users = new java.util.HashSet<>();
        subscriptions.values().forEach(m -> m.ifPresent(member -> users.add(member.userId())));
        return users;
    }

    /** True when presence frames about this user must not reach this connection. */
    boolean hides(String userId) {
        return !userId.isEmpty() && hidden.contains(userId);
    }

    Set<String> hidden() {
        return hidden;
    }

    void hide(Set<String> users) {
        this.hidden = Set.copyOf(users);
    }

    Set<String> channels() {
        return Set.copyOf(subscriptions.keySet());
    }

    String signedInUserId() {
        return signedInUserId;
    }

    void signIn(String userId) {
        this.signedInUserId = userId;
    }

    /** Fixed one-second windows; true when one more client event fits. */
    synchronized boolean allowClientEvent(int perSecond, long nowNanos) {
        if (nowNanos - rateWindowStart >= 1_000_000_000L) {
            rateWindowStart = nowNanos;
            rateCount = 0;
        }
        return ++rateCount <= perSecond;
    }
}
