package io.presence.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Typed settings of the gateway; every key can be set by environment variable (e.g. GATEWAY_BACKENDS_USER_SERVICE). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Where the backend services listen. */
    Backends backends();

    /** How the /api reverse proxy talks to them. */
    Proxy proxy();

    /** Base URLs of the backend services. */
    interface Backends {

        /** user-service: /api/users, /api/sessions, /api/contacts, /pusher/auth, /pusher/user-auth. */
        URI userService();

        /** presence-service: /api/presence. */
        URI presenceService();

        /** message-service: /api/rooms, /api/conversations. */
        URI messageService();
    }

    /** Reverse proxy settings. */
    interface Proxy {

        /** Longest wait for a TCP connection to a backend before answering 503. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Longest silence from a backend (no response bytes) before answering 504. */
        @WithDefault("30s")
        Duration responseTimeout();

        /** Most pooled connections to each backend. */
        @WithDefault("100")
        int maxConnectionsPerBackend();
    }
}
