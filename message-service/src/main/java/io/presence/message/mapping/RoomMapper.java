package io.presence.message.mapping;

import io.presence.common.pusher.Channels;
import io.presence.message.model.JoinedRoom;
import io.presence.message.model.PendingInvitation;
import io.presence.message.model.Room;
import io.presence.message.model.RoomMember;
import io.presence.message.view.RoomSummary;
import io.presence.message.view.RoomViews.InvitationView;
import io.presence.message.view.RoomViews.MemberView;
import io.presence.message.view.RoomViews.MyRoom;
import io.presence.message.view.RoomViews.RoomView;
import java.time.OffsetDateTime;

/** Turns rooms, memberships and invitations into the types that go on the wire. */
public final class RoomMapper {

    private RoomMapper() {
    }

    public static RoomSummary toSummary(Room room) {
        return new RoomSummary(room.id.toString(), room.name, room.visibility, room.topic, room.createdAt);
    }

    public static RoomView toView(Room room) {
        return view(room.id, room.name, room.visibility, room.topic, room.createdBy, room.createdAt);
    }

    public static MyRoom toMyRoom(JoinedRoom r) {
        return new MyRoom(view(r.roomId(), r.name(), r.visibility(), r.topic(), r.createdBy(), r.createdAt()),
                r.unread(), Long.toString(r.lastReadId()), r.joinedAt());
    }

    public static MemberView toView(RoomMember m) {
        return new MemberView(Long.toString(m.userId()), m.handle(), m.joinedAt(), Long.toString(m.lastReadId()));
    }

    public static InvitationView toView(PendingInvitation p) {
        return new InvitationView(view(p.roomId(), p.name(), p.visibility(), p.topic(), p.createdBy(), p.roomCreatedAt()),
                Long.toString(p.invitedBy()), p.invitedAt());
    }

    private static RoomView view(long id, String name, String visibility, String topic, long createdBy, OffsetDateTime createdAt) {
        return new RoomView(Long.toString(id), name, visibility, topic, Channels.roomChannel(id), Long.toString(createdBy), createdAt);
    }
}
