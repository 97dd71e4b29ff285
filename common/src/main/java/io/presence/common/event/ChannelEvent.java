package io.presence.common.event;

import java.util.Set;
import java.util.UUID;

/**
 * A Pusher event for a channel's subscribers (a message, an HTTP API trigger, a client event) and who may receive it.
 *
 * @param seq        the channel's sequence number (0 until published)
 * @param id         unique per event, so a retried publish is recognised and not delivered twice
 * @param name       the event name
 * @param data       the payload exactly as it goes to clients (a string, usually JSON)
 * @param userId     the frame's top-level {@code user_id} (client events on presence channels), or null
 * @param except     the socket that must not receive it (the sender), or null
 * @param sender     the user it comes from, for visibility rules, or null
 * @param senderOnly true when only the sender's own connections may receive it (the sender is invisible)
 * @param hiddenFrom users who must not receive it (those who blocked the sender)
 * @param durable    true when kept for a while so gateways that missed it can read it back
 */
public record ChannelEvent(long seq, String id, String name, String data, String userId, String except, String sender,
                           boolean senderOnly, Set<String> hiddenFrom, boolean durable) implements Event {

    public ChannelEvent {
        hiddenFrom = hiddenFrom == null ? Set.of() : Set.copyOf(hiddenFrom);
    }

    /** An event from a backend (message-service, the HTTP API): durable, for every subscriber but {@code except}. */
    public static ChannelEvent server(String name, String data, String except) {
        return new ChannelEvent(0, UUID.randomUUID().toString(), name, data, null, except, null, false, Set.of(), true);
    }

    /**
     * A client event: not kept (ephemeral, like Pusher's: typing, cursors; a gateway that missed one or a resumed
     * subscriber does not get it back, and a channel with only these has nothing a Redis restart could lose), never
     * back to the sending socket, visible as its sender is.
     */
    public static ChannelEvent client(String name, String data, String userId, String except, String sender,
                                      boolean senderOnly, Set<String> hiddenFrom) {
        return new ChannelEvent(0, UUID.randomUUID().toString(), name, data, userId, except, sender, senderOnly, hiddenFrom, false);
    }

    /** The same event with its sequence number. */
    public ChannelEvent withSeq(long number) {
        return new ChannelEvent(number, id, name, data, userId, except, sender, senderOnly, hiddenFrom, durable);
    }

    /**
     * Whether a subscriber receives it: not the excluded socket; when the sender is known, not someone the sender
     * blocked or who blocked the sender, and nobody but the sender while the sender is invisible.
     *
     * @param socketId     the subscriber's socket
     * @param viewer       the user the subscriber is, or null
     * @param viewerHidden the users who blocked the viewer
     */
    public boolean isFor(String socketId, String viewer, Set<String> viewerHidden) {
        if (socketId.equals(except)) {
            return false;
        }
        if (sender == null) {
            return true;
        }
        boolean own = sender.equals(viewer);
        if (own) {
            return true;
        }
        if (senderOnly) {
            return false;
        }
        return viewer == null || !(hiddenFrom.contains(viewer) || viewerHidden.contains(sender));
    }
}
