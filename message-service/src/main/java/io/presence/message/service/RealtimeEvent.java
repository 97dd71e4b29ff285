package io.presence.message.service;

/**
 * An event for the subscribers of a realtime channel, fired inside the transaction that caused it: it takes its place
 * in the channel's order then, and {@link RealtimePublisher} publishes it only once that transaction has committed.
 *
 * @param channel the Pusher channel ({@code presence-room-12}, {@code private-dm-3-7})
 * @param name    the event name (constants below)
 * @param data    the payload, serialized to JSON and sent as a JSON string (Pusher's double encoding)
 */
public record RealtimeEvent(String channel, String name, Object data) {

    public static final String MESSAGE = "message";
    public static final String MESSAGE_UPDATED = "message_updated";
    public static final String MESSAGE_DELETED = "message_deleted";
    public static final String READ_CURSOR = "read_cursor";
    /** On the rooms directory channel: public rooms appearing, changing and going. */
    public static final String ROOM_CREATED = "room_created";
    public static final String ROOM_RENAMED = "room_renamed";
    public static final String ROOM_DELETED = "room_deleted";
    /** On a user's own channel. */
    public static final String ROOM_INVITATION = "room_invitation";
    public static final String INVITATION_REMOVED = "invitation_removed";
    public static final String MEMBERSHIP_CHANGED = "membership_changed";
    public static final String UNREAD = "unread";
}
