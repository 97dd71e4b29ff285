package io.presence.gateway.ws;

import io.netty.util.concurrent.EventExecutor;
import io.presence.common.presence.PresenceSchema;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The client connections of this gateway, by connection id. */
@ApplicationScoped
public class Connections {

    private final Map<String, ClientConnection> byId = new ConcurrentHashMap<>();
    private final Map<EventExecutor, Outbox> outboxes = new ConcurrentHashMap<>();

    /** The outbox of an event loop: where frames for its sockets are queued. */
    Outbox outbox(EventExecutor loop) {
        return outboxes.computeIfAbsent(loop, Outbox::new);
    }

    void register(ClientConnection connection) {
        byId.put(connection.connectionId(), connection);
    }

    ClientConnection get(String connectionId) {
        return byId.get(connectionId);
    }

    void unregister(ClientConnection connection) {
        byId.remove(connection.connectionId());
    }

    Collection<ClientConnection> all() {
        return byId.values();
    }

    /** The connections of an app that are (present or signed in as) this user. */
    List<ClientConnection> of(String appId, String userId) {
        return byId.values().stream().filter(c -> c.app().id().equals(appId) && c.identities().contains(userId)).toList();
    }

    /** Every connection that is this user, in any app (blocks are per user id). */
    List<ClientConnection> of(String userId) {
        return byId.values().stream().filter(c -> c.identities().contains(userId)).toList();
    }

    /** The connections signed in as a user of an app. */
    List<ClientConnection> signedIn(String appId, String userId) {
        return byId.values().stream().filter(c -> c.app().id().equals(appId) && userId.equals(c.signedInUserId())).toList();
    }

    /** Local subscriber counts keyed as in a node's subscription hash ({@link PresenceSchema#subscriptionField}). */
    Map<String, Integer> localCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (ClientConnection c : byId.values()) {
            for (String channel : c.subscriptions().keySet()) {
                counts.merge(PresenceSchema.subscriptionField(c.app().id(), channel), 1, Integer::sum);
            }
        }
        return counts;
    }
}
