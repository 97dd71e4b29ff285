package io.presence.gateway.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What a resumable socket's client has certainly received, per channel, with nothing but the Pusher protocol: after
 * frames are written the socket is sent {@code pusher:ping} (one at a time), and every Pusher client answers
 * {@code pusher:pong} after reading everything before it, so each pong acknowledges the channel positions written
 * before its ping. Positions start where a subscription was admitted (or resumed) and only move forward.
 * A socket that closes records what was acknowledged, never what was only written: frames the network lost are
 * replayed on resume, and only frames received but not yet acknowledged (one round trip) can come twice.
 *
 * <p>A client that never answers a ping (pusher-java-client answers none: it only pings itself) acknowledges nothing;
 * for it what was written is recorded, so a resume repeats nothing, but frames lost in the cut stay lost. Every
 * resumable socket is pinged as soon as it is established, so a client that answers is known before its first event.
 */
final class Receipts {

    /** The ping that asks for a receipt, as written. */
    static final byte[] PING = "{\"event\":\"pusher:ping\",\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8);

    /** Channel -> the last sequence number written to the socket. */
    private final Map<String, Long> written = new HashMap<>();
    /** Channel -> the last sequence number the client acknowledged. */
    private final Map<String, Long> acked = new HashMap<>();
    /** What was written when each unanswered ping was written, oldest first. */
    private final ArrayDeque<Map<String, Long>> pings = new ArrayDeque<>();
    /** Whether something was written since the last ping. */
    private boolean unacknowledged;
    /** Whether the client ever answered a ping. */
    private boolean answers;

    /** A subscription was admitted at {@code position}: the client has (or does not need) everything up to it. */
    synchronized void start(String channel, long position) {
        written.put(channel, position);
        acked.put(channel, position);
    }

    /** An event of the channel was written to the socket. */
    synchronized void written(String channel, long seq) {
        if (written.containsKey(channel)) {
            written.merge(channel, seq, Math::max);
            unacknowledged = true;
        }
    }

    /** True when a receipt ping should follow what was written: something is unacknowledged and no ping is out. */
    synchronized boolean wantsPing() {
        return unacknowledged && pings.isEmpty();
    }

    /** A ping was written now: its pong will acknowledge everything written so far. */
    synchronized void pinged() {
        pings.add(Map.copyOf(written));
        unacknowledged = false;
    }

    /** A pong came: the oldest unanswered ping is answered. True when another receipt ping should go out. */
    synchronized boolean ponged() {
        Map<String, Long> answered = pings.poll();
        answers = true;
        if (answered != null) {
            answered.forEach((channel, seq) -> acked.computeIfPresent(channel, (c, known) -> Math.max(known, seq)));
        }
        return unacknowledged && pings.isEmpty();
    }

    /** True while a ping is unanswered. */
    synchronized boolean awaiting() {
        return !pings.isEmpty();
    }

    /** The channel was unsubscribed: its position is no longer kept. */
    synchronized void forget(String channel) {
        written.remove(channel);
        acked.remove(channel);
    }

    /**
     * Channel -> where a resume picks up: the last number the client acknowledged, or the last one written when the
     * client never answered a ping.
     */
    synchronized Map<String, Long> positions() {
        return Map.copyOf(answers ? acked : written);
    }
}
