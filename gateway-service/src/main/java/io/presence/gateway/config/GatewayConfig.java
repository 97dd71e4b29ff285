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

    /** The Pusher protocol 7 WebSocket endpoint ({@code /app/{key}}). */
    Websocket websocket();

    /** Limits and timings of the Pusher WebSocket endpoint. */
    interface Websocket {

        /** Seconds of silence after which a client pings (sent in connection_established) and the server pings back. */
        @WithDefault("120s")
        Duration activityTimeout();

        /** How long the server waits for any frame after its own ping before closing with 4201. */
        @WithDefault("30s")
        Duration pongTimeout();

        /** Largest text frame a client may send, in bytes (Pusher: 10 KB of event data). */
        @WithDefault("10240")
        int maxFrameBytes();

        /** Longest channel name. */
        @WithDefault("164")
        int maxChannelNameLength();

        /** Largest presence user_info, in bytes of JSON. */
        @WithDefault("1024")
        int maxUserInfoBytes();

        /** Most channels one connection may be subscribed to at once. */
        @WithDefault("100")
        int maxSubscriptionsPerConnection();

        /** Client events one connection may send per second before getting pusher:error 4301. */
        @WithDefault("10")
        int clientEventsPerSecond();

        /** Most distinct users in one presence channel (Pusher caps at 100; here it is configuration). */
        @WithDefault("10000")
        int maxPresenceMembers();
    }

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
