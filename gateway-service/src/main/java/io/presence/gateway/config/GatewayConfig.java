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

    /** Limits and timings of the Pusher WebSocket endpoint (the limits of each app are the app's: see AppsConfig). */
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

        /** Most channels one connection may be subscribed to at once. */
        @WithDefault("100")
        int maxSubscriptionsPerConnection();

        /** Sockets this gateway holds at once, of every app; one more is closed with 4100 (over capacity). */
        @WithDefault("10000")
        int maxConnections();

        /** Sockets one client address (IPv6: its /64) may hold on this gateway at once; one more is closed with 4100. */
        @WithDefault("100")
        int maxConnectionsPerAddress();

        /** WebSocket handshakes one client address may make on this gateway per {@code handshake-per}; one more: 4100. */
        @WithDefault("100")
        int handshakeLimit();

        /** The window of {@code handshake-limit} (after a burst of the limit, one more every window / limit). */
        @WithDefault("60s")
        Duration handshakePer();

        /** How long a socket may stay open without subscribing or signing in before it is closed with 4202. */
        @WithDefault("60s")
        Duration firstSubscriptionTimeout();

        /** pusher:subscribe and pusher:unsubscribe frames one socket may send per {@code subscribe-per}; more: 4301. */
        @WithDefault("200")
        int subscribeLimit();

        /** The window of {@code subscribe-limit}. */
        @WithDefault("60s")
        Duration subscribePer();

        /** Client events one socket may send per {@code client-event-per}, whatever its app allows (-1 there); more: 4301. */
        @WithDefault("100")
        int clientEventLimit();

        /** The window of {@code client-event-limit}. */
        @WithDefault("1s")
        Duration clientEventPer();

        /**
         * Bytes the gateway may hold for one socket that does not read what it is sent (a slow or stalled subscriber);
         * past it the socket is cut (no close frame can pass the backlog), and the client reconnects as after a drop.
         */
        @WithDefault("4194304")
        int maxPendingBytes();
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
