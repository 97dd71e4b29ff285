package io.presence.message.service;

import io.presence.common.pusher.Channels;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.Conversation;
import io.presence.message.model.Room;
import io.presence.message.model.RoomMember;
import io.presence.message.repository.ConversationRepository;
import io.presence.message.repository.MembershipRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What changed for a user, on their own {@code private-user-{id}} channel, and public rooms coming and going, on the
 * rooms directory channel: fired inside the change's transaction like every {@link RealtimeEvent}, so a client needs
 * neither polling nor a subscription per room. Unread counts are as the change's transaction sees them; a message
 * committed concurrently in the same room is counted by the next count.
 */
@ApplicationScoped
public class Notices {

    private static final String PUBLIC = "public";

    /** A reader's unread count of a room ({@code roomId}) or of the conversation with a user ({@code userId}). */
    public record Unread(Long roomId, Long userId, long unread) {
    }

    /** The user joined or left the room (or it was deleted). */
    public record MembershipChanged(Room room, boolean member) {
    }

    /** The user was invited to the room. */
    public record Invited(Room room, long invitedBy, OffsetDateTime at) {
    }

    /** A room, or an invitation to it, is gone. */
    public record RoomGone(long roomId) {
    }

    /** A room as its members see it (after a rename). */
    public record RoomChanged(Room room) {
    }

    /** A public room as the rooms directory lists it. */
    public record Listed(Room room) {
    }

    private final Event<RealtimeEvent> events;
    private final MembershipRepository members;
    private final ConversationRepository conversations;
    private final MessageConfig config;

    public Notices(Event<RealtimeEvent> events, MembershipRepository members, ConversationRepository conversations, MessageConfig config) {
        this.events = events;
        this.members = members;
        this.conversations = conversations;
        this.config = config;
    }

    /** A message was posted: every other reader's new unread count. */
    public void posted(Timeline place, long author) {
        if (place.isRoom()) {
            for (Map.Entry<Long, Long> count : members.unreadOfOthers(place.roomId(), author, config.unreadCap()).entrySet()) {
                toUser(count.getKey(), RealtimeEvent.UNREAD, new Unread(place.roomId(), null, count.getValue()));
            }
            return;
        }
        Conversation conversation = conversations.findById(place.conversationId());
        long reader = conversation.other(author);
        toUser(reader, RealtimeEvent.UNREAD, new Unread(null, author,
                conversations.summary(conversation.id, reader, config.unreadCap()).unread()));
    }

    /** The reader's cursor moved: their count, for their other tabs and devices. */
    public void read(Timeline place, long reader, long unread) {
        if (place.isRoom()) {
            toUser(reader, RealtimeEvent.UNREAD, new Unread(place.roomId(), null, unread));
        } else {
            long other = conversations.findById(place.conversationId()).other(reader);
            toUser(reader, RealtimeEvent.UNREAD, new Unread(null, other, unread));
        }
    }

    public void created(Room room) {
        membership(room.createdBy, room, true);
        if (PUBLIC.equals(room.visibility)) {
            toDirectory(RealtimeEvent.ROOM_CREATED, new Listed(room));
        }
    }

    public void membership(long user, Room room, boolean member) {
        toUser(user, RealtimeEvent.MEMBERSHIP_CHANGED, new MembershipChanged(room, member));
    }

    public void invited(long user, Room room, long invitedBy) {
        toUser(user, RealtimeEvent.ROOM_INVITATION,
                new Invited(room, invitedBy, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    public void invitationRemoved(long user, long roomId) {
        toUser(user, RealtimeEvent.INVITATION_REMOVED, new RoomGone(roomId));
    }

    /** A new name or topic: to the directory when public, and to every member. */
    public void renamed(Room room) {
        if (PUBLIC.equals(room.visibility)) {
            toDirectory(RealtimeEvent.ROOM_RENAMED, new Listed(room));
        }
        for (RoomMember m : members.members(room.id)) {
            toUser(m.userId(), RealtimeEvent.ROOM_RENAMED, new RoomChanged(room));
        }
    }

    /** Called before the room's rows go: its members still are there to be told. */
    public void deleted(Room room) {
        if (PUBLIC.equals(room.visibility)) {
            toDirectory(RealtimeEvent.ROOM_DELETED, new RoomGone(room.id));
        }
        for (RoomMember m : members.members(room.id)) {
            toUser(m.userId(), RealtimeEvent.ROOM_DELETED, new RoomGone(room.id));
        }
    }

    private void toUser(long user, String name, Object data) {
        events.fire(new RealtimeEvent(Channels.userChannel(user), name, data));
    }

    private void toDirectory(String name, Object data) {
        events.fire(new RealtimeEvent(Channels.ROOMS_DIRECTORY, name, data));
    }
}
