package io.presence.gateway.proxy;

import io.presence.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Which backend owns which public path: the routing table of the gateway, in one place. */
@ApplicationScoped
public class BackendRoutes {

    private final Map<String, Backend> byPrefix = new LinkedHashMap<>();

    public BackendRoutes(GatewayConfig config) {
        Backend users = new Backend("user-service", config.backends().userService());
        Backend presence = new Backend("presence-service", config.backends().presenceService());
        Backend messages = new Backend("message-service", config.backends().messageService());
        byPrefix.put("/api/users", users);
        byPrefix.put("/api/sessions", users);
        byPrefix.put("/api/contacts", users);
        byPrefix.put("/pusher/auth", users);
        byPrefix.put("/pusher/user-auth", users);
        byPrefix.put("/api/presence", presence);
        byPrefix.put("/api/rooms", messages);
        byPrefix.put("/api/conversations", messages);
    }

    /** The prefixes the gateway forwards, for registering routes. */
    public Iterable<String> prefixes() {
        return byPrefix.keySet();
    }

    /** The owner of a path: a prefix matches itself and everything below it, whole segments only. */
    public Optional<Backend> resolve(String path) {
        for (Map.Entry<String, Backend> route : byPrefix.entrySet()) {
            String prefix = route.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return Optional.of(route.getValue());
            }
        }
        return Optional.empty();
    }
}
