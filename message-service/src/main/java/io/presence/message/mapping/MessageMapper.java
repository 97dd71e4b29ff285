package io.presence.message.mapping;

import io.presence.message.model.Message;
import io.presence.message.view.MessageViews.Author;
import io.presence.message.view.MessageViews.MessageView;

/** Turns messages into the type that goes on the wire and into realtime events. */
public final class MessageMapper {

    private MessageMapper() {
    }

    public static MessageView toView(Message m) {
        return new MessageView(m.id.toString(), id(m.roomId), id(m.conversationId), new Author(m.authorId.toString(), m.authorHandle),
                m.kind, m.body, m.clientMessageId, m.createdAt, m.editedAt, m.deletedAt);
    }

    private static String id(Long value) {
        return value == null ? null : value.toString();
    }
}
