package io.presence.gateway.ws;

import io.presence.common.presence.BusMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The connections of this gateway instance and which of them listen on which channel of which app. */
@ApplicationScoped
public class Hub {

    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientConnection>> subscribers = new ConcurrentHashMap<>();

    private static String key(String appId, String channel) {
        return appId + '\u0000' + channel;
    }

    void register(ClientConnection connection) {
        connections.put(connection.connectionId(), connection);
    }

    ClientConnection get(String connectionId) {
        return connections.get(connectionId);
    }

    void unregister(ClientConnection connection) {
        connections.remove(connection.connectionId());
    }

    Collection<ClientConnection> all() {
        return connections.values();
    }

    /** Adds a local subscriber; true when it is the channel's first on this gateway. */
    boolean subscribe(ClientConnection connection, String channel) {
        boolean[] first = {false};
        subscribers.compute(key(connection.app().id(), channel), (k, set) -> {
            Set<ClientConnection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            first[0] = s.isEmpty();
            s.add(connection);
            return s;
        });
        return first[0];
    }

    /** Removes a local subscriber; true when the channel has none left on this gateway. */
    boolean unsubscribe(ClientConnection connection, String channel) {
        boolean[] last = {false};
        subscribers.computeIfPresent(key(connection.app().id(), channel), (k, set) -> {
            boolean removed = set.remove(connection);
            last[0] = removed && set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0];
    }

    /**
     * Sends a bus message's frame to the local subscribers of the channel it is meant for (see {@link BusMessage}),
     * leaving out connections that must not see its subject; the {@link Broker} calls it for frames from any gateway.
     */
    public int publish(String appId, String channel, BusMessage message) {
        Set<ClientConnection> targets = subscribers.get(key(appId, channel));
        if (targets == null) {
            return 0;
        }
        int sent = 0;
        for (ClientConnection c : targets) {
            if (message.isFor(c.socketId(), c.presenceUser(channel)) && !c.hides(message.subjectUserId())) {
                c.deliver(channel, message.frame());
                sent++;
            }
        }
        return sent;
    }

    /** The local connections that are in some presence channel as this user. */
    java.util.List<ClientConnection> presentAs(String appId, String userId) {
        return connections.values().stream()
                .filter(c -> c.app().id().equals(appId) && c.presenceUsers().contains(userId))
                .toList();
    }

    /** Local subscriber counts keyed as in a node's subscription hash ({@code app NUL channel}). */
    Map<String, Integer> localCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        subscribers.forEach((key, set) -> {
            if (!set.isEmpty()) {
                counts.put(key, set.size());
            }
        });
        return counts;
    }

    /** The connections signed in as a user of an app. */
    java.util.List<ClientConnection> signedIn(String appId, String userId) {
        return connections.values().stream()
                .filter(c -> c.app().id().equals(appId) && userId.equals(c.signedInUserId()))
                .toList();
    }

    /** Local subscriber count of a channel. */
    public int subscriptionCount(String appId, String channel) {
        Set<ClientConnection> targets = subscribers.get(key(appId, channel));
        return targets == null ? 0 : targets.size();
    }
}
