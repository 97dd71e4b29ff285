package io.presence.gateway.hub;

/**
 * Where a resumed subscription picks up: the last sequence number the client's previous socket acknowledged on the
 * channel. The subscriber gets {@code subscription_succeeded}, then every event after {@code after} once and in order,
 * then the live ones; or {@code pusher:events_missed} when the events are no longer kept or the window passed.
 *
 * @param after            the last number the client has
 * @param previousSocketId the socket id it had then (its own events, sent with that id, are not sent back); may be null
 * @param expired          true when the resume window passed: nothing is replayed, the gap is reported
 */
public record Resume(long after, String previousSocketId, boolean expired) {
}
