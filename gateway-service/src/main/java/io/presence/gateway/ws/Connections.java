package io.presence.gateway.ws;

import io.presence.common.store.PresenceSchema;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The client connections of this gateway, by connection id. */
@ApplicationScoped
public class Connections {

    private final Map<String, ClientConnection> byId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perApp = new ConcurrentHashMap<>();
    void register(ClientConnection connection) {
        byId.put(connection.connectionId(), connection);
        perApp.computeIfAbsent(connection.app().id(), id -> new AtomicInteger()).incrementAndGet();
    }

    ClientConnection get(String connectionId) {
        return byId.get(connectionId);
    }

    /** Forgets a connection; true only for the call that removed it (so its quota is given back once). */
    boolean unregister(ClientConnection connection) {
        if (!byId.remove(connection.connectionId(), connection)) {
            return false;
        }
        perApp.get(connection.app().id()).decrementAndGet();
        return true;
    }

    /** This gateway's connections of an app. */
    int count(String appId) {
        AtomicInteger n = perApp.get(appId);
        return n == null ? 0 : n.get();
    }

    /** This gateway's connections per app. */
    Map<String, Integer> countsByApp() {
        Map<String, Integer> counts = new HashMap<>();
        perApp.forEach((app, n) -> counts.put(app, n.get()));
        return counts;
    }

    Collection<ClientConnection> all() {
        return byId.values();
    }

    /** The connections of an app that are (present or signed in as) this user. */
    List<ClientConnection> of(String appId, String userId) {
        return byId.values().stream().filter(c -> c.app().id().equals(appId) && c.identities().contains(userId)).toList();
    }

    /** Every connection of an app. */
    List<ClientConnection> ofApp(String appId) {
        return byId.values().stream().filter(c -> c.app().id().equals(appId)).toList();
    }

    /** The connections signed in as a user of an app. */
    List<ClientConnection> signedIn(String appId, String userId) {
        return byId.values().stream().filter(c -> c.app().id().equals(appId) && userId.equals(c.signedInUserId())).toList();
    }

    /** The connections of an app among these socket ids (those of other gateways are not here). */
    List<ClientConnection> withSocketIds(String appId, Collection<String> socketIds) {
        Set<String> wanted = Set.copyOf(socketIds);
        return byId.values().stream().filter(c -> c.app().id().equals(appId) && wanted.contains(c.socketId())).toList();
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
