package io.presence.gateway.hub;

import io.presence.common.event.ChannelEvent;
import io.presence.common.store.MemberState;

/** A local subscriber as a channel sees it: something with a socket id that frames can be sent to. */
public interface Recipient {

    String socketId();

    /** Sends a frame (shared with other recipients, encoded once); a closed socket drops it. */
    void send(Frame frame);

    /** Sends a frame built for this recipient alone. */
    default void send(String frame) {
        send(new Frame(frame));
    }

    /** A channel event this subscriber may receive, with its frame; sent as it is unless the subscriber filters it. */
    default void deliver(String channel, ChannelEvent event, Frame frame) {
        send(frame);
    }

    /**
     * The channel admitted this subscriber: every event after {@code position} reaches it (the channel's number at
     * admission, or where a resumed subscription picks up).
     */
    default void admitted(LocalChannel channel, long position) {
    }

    /** The channel saw this subscriber's own member change (its status, as stored); remembered for later joins. */
    default void observedSelf(String userId, MemberState state) {
    }
}
