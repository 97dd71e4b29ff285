package io.presence.message.model;

/** Where a message is stored: a room or a direct conversation (exactly one id is set). */
public record Place(Long roomId, Long conversationId) {

    public static Place room(long roomId) {
        return new Place(roomId, null);
    }

    public static Place conversation(long conversationId) {
        return new Place(null, conversationId);
    }

    public boolean isRoom() {
        return roomId != null;
    }

    /** The room's or the conversation's id. */
    public long id() {
        return isRoom() ? roomId : conversationId;
    }

    /** The messages column that holds {@link #id()}. */
    public String column() {
        return isRoom() ? "room_id" : "conversation_id";
    }

    /** True when the message belongs here. */
    public boolean contains(Message m) {
        return isRoom() ? roomId.equals(m.roomId) : conversationId.equals(m.conversationId);
    }
}
