package io.presence.gateway.protocol;

/**
 * Pusher's error and close codes, with what a client does on each: 4000-4099 stop reconnecting, 4100-4199
 * back off then retry, 4200-4299 reconnect at once. Never close with 4300 or above (those are error events only).
 */
public enum CloseCode {
    UNKNOWN_APP(4001),
    /** The app is disabled (Pusher: "application disabled"). */
    APP_DISABLED(4003),
    /** The app has as many connections as it may have, on every gateway together. */
    OVER_CONNECTION_QUOTA(4004),
    /** Pusher: "path not found"; here: the client id of {@code /c/<clientId>/app/<key>} is not one (too short, bad characters). */
    INVALID_CLIENT_ID(4005),
    PROTOCOL_UNSUPPORTED(4007),
    PROTOCOL_MISSING(4008),
    UNAUTHORIZED(4009),
    /** This server, or the client's address, has as many sockets or handshakes as it may: back off, then retry. */
    OVER_CAPACITY(4100),
    /** A newer socket of the same resumable client id took over; a client that keeps both sockets retries after backing off. */
    SUPERSEDED(4110),
    GOING_AWAY(4200),
    PONG_TIMEOUT(4201),
    /** Closed after inactivity: no subscription or sign-in within the first-subscription timeout. */
    INACTIVE(4202),
    CLIENT_EVENT_RATE_LIMIT(4301);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
