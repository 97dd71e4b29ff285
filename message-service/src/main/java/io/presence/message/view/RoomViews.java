package io.presence.message.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/** The wire types of the rooms API. */
public final class RoomViews {

    private RoomViews() {
    }

    /** Body of {@code POST /api/rooms}. */
    public record NewRoom(@NotBlank @Size(max = 80) @Text(label = true) String name,
                          @NotNull @Pattern(regexp = "public|private", message = "must be public or private") String visibility,
                          @Size(max = 200) @Text String topic) {
    }

    /** Body of {@code PATCH /api/rooms/{id}}: a new name, a new topic (blank: none), or both. */
    public record RoomEdit(@Size(max = 80) @Text(label = true) String name, @Size(max = 200) @Text String topic) {
    }

    /** A room with its realtime channel. */
    public record RoomView(String id, String name, String visibility, String topic, String channel, String createdBy,
                           OffsetDateTime createdAt) {
    }

    /** One of my rooms: the room and my read state in it. */
    public record MyRoom(RoomView room, long unread, String lastReadMessageId, OffsetDateTime joinedAt) {
    }

    public record MyRoomList(List<MyRoom> rooms) {
    }

    /** A member; {@code lastReadMessageId} ("0": nothing read) lets clients show read receipts. */
    public record MemberView(String userId, String handle, OffsetDateTime joinedAt, String lastReadMessageId) {
    }

    public record MemberList(List<MemberView> members) {
    }

    /** Body of {@code POST /api/rooms/{id}/invitations}. */
    public record NewInvitation(@NotNull @Pattern(regexp = "[1-9][0-9]{0,17}", message = "must be a user id") String userId) {
    }

    /** An invitation to a room for me. */
    public record InvitationView(RoomView room, String invitedBy, OffsetDateTime createdAt) {
    }

    public record InvitationList(List<InvitationView> invitations) {
    }
}
