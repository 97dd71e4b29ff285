package io.presence.gateway.proxy;

import io.presence.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Which backend owns which public path, and which paths are never routed: the routing table of the gateway, in one place. */
@ApplicationScoped
public class BackendRoutes {

    /** Where the backends' service-to-service endpoints are, which the gateway never serves or forwards. */
    public static final String INTERNAL = "/internal";

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

    /**
     * Why a request path (as received, still percent-encoded) is not routed at all, or empty when it may be: a dot
     * segment ({@code .} or {@code ..}, also written {@code %2e}) would make the path the gateway routes differ from
     * the one a backend acts on, and so would an encoded slash or backslash ({@code %2f}, {@code %5c}) or a backslash.
     */
    public static Optional<String> refusal(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")) {
            return Optional.of("the path contains an encoded slash or a backslash");
        }
        for (String segment : lower.replace("%2e", ".").split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("the path contains a dot segment (. or ..)");
            }
        }
        return Optional.empty();
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
