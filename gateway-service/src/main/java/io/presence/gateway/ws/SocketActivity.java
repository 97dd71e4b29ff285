package io.presence.gateway.ws;

/** When one socket opened, when it was last heard from, and whether it has been pinged since (read by {@link Liveness}). */
final class SocketActivity {

    private final long openedNanos = System.nanoTime();
    private volatile long lastActivityNanos = openedNanos;
    private volatile boolean pinged;

    /** How long ago the socket opened. */
    long ageNanos(long now) {
        return now - openedNanos;
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
}
