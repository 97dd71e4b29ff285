package io.presence.terminal.api;

import java.util.List;

/** The JSON of the suite's REST API, as far as the chat reads it (unknown fields are ignored). */
public final class Wire {

    private Wire() {
    }

    /** Another user as profiles and contact lists show them. */
    public record User(String id, String handle, String displayName) {
    }

    /** The logged-in user; {@code status} is the account's default status text. */
    public record Me(String id, String handle, String displayName, String status) {
    }

    /** Answer of {@code POST /api/sessions}. */
    public record Login(String token, Me user) {
    }

    /** Answer of {@code GET /api/sessions/me}. */
    public record Session(Me user) {
    }

    /** A room with its realtime channel. */
    public record Room(String id, String name, String visibility, String topic, String channel) {
    }

    public record RoomList(List<Room> rooms) {
    }

    /** One of my rooms with what I have not read yet. */
    public record MyRoom(Room room, long unread, String lastReadMessageId) {
    }

    public record MyRoomList(List<MyRoom> rooms) {
    }

    /** An invitation to a private room. */
    public record Invitation(Room room, String invitedBy) {
    }

    public record InvitationList(List<Invitation> invitations) {
    }

    /** A room member. */
    public record Member(String userId, String handle) {
    }

    public record MemberList(List<Member> members) {
    }

    /** Who wrote a message. */
    public record Author(String id, String handle) {
    }

    /** A stored message, as the send answers it and as the {@code message*} events carry it. */
    public record Message(String id, Author author, String kind, String text, String clientMessageId, String createdAt,
                          String editedAt, String deletedAt) {

        public boolean system() {
            return "system".equals(kind);
        }
    }

    /** A page of history, oldest first; {@code nextBefore} pages further back, null at the start. */
    public record MessagePage(List<Message> messages, String nextBefore) {
    }

    /** The other participant of a direct conversation. */
    public record Participant(String id) {
    }

    /** A direct conversation as I see it. */
    public record Conversation(String id, Participant with, String channel, long unread) {
    }

    public record ConversationList(List<Conversation> conversations) {
    }

    /** An accepted contact. */
    public record Contact(User user) {
    }

    public record ContactList(List<Contact> contacts) {
    }

    /** A contact request ({@code state}: pending or accepted). */
    public record ContactRequest(String id, User from, User to, String state) {
    }

    public record RequestList(List<ContactRequest> requests) {
    }

    /** Presence of one user as others may see it: invisible users are offline. */
    public record Presence(String userId, boolean online, String status, String text, String lastSeen) {
    }

    public record PresenceList(List<Presence> users) {
    }

    /** My status after a change. */
    public record StatusAnswer(String status, String text, String expiresAt) {
    }
}
