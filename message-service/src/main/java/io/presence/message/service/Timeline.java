package io.presence.message.service;

import io.presence.common.pusher.Channels;
import io.presence.message.model.Conversation;
import io.presence.message.model.Message;
import io.presence.message.model.Place;

/**
 * Where messages go: a room or a direct conversation (exactly one id is set), with the realtime channel its
 * events are published on.
 */
public record Timeline(Long roomId, Long conversationId, String channel) {

    public static Timeline room(long roomId) {
        return new Timeline(roomId, null, Channels.roomChannel(roomId));
    }

    public static Timeline conversation(Conversation c) {
        return new Timeline(null, c.id, Channels.directChannel(c.userLow, c.userHigh));
    }

    public boolean isRoom() {
        return roomId != null;
    }

    /** Where its messages are stored. */
    public Place place() {
        return new Place(roomId, conversationId);
    }

    /** True when the message belongs here. */
    public boolean contains(Message m) {
        return place().contains(m);
    }
}
