package io.presence.message.service;

import io.presence.common.budget.Budgets;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.message.client.UserDirectory;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.JoinedRoom;
import io.presence.message.model.Message;
import io.presence.message.model.PendingInvitation;
import io.presence.message.model.Room;
import io.presence.message.model.RoomMember;
import io.presence.message.repository.InvitationRepository;
import io.presence.message.repository.MembershipRepository;
import io.presence.message.repository.MessageRepository;
import io.presence.message.repository.RoomMirror;
import io.presence.message.repository.RoomRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Objects;

/**
 * Rooms and who is in them: creation, listings, joining (public rooms: anyone; private ones: by invitation from a
 * member), leaving, invitations, renaming and deleting by the creator. Joining and leaving post a system message
 * ("ana joined") to the room; who a change concerns is told on their own channel ({@link Notices}); membership is
 * mirrored for presence visibility ({@link RoomMirror}).
 */
@ApplicationScoped
public class RoomService {

    private static final String PUBLIC = "public";

    /** Room invitations per user ({@code budgets.invitations.limit} per {@code .per}). */
    public static final String INVITATION_BUDGET = "invitations";

    private final RoomRepository rooms;
    private final MembershipRepository members;
    private final InvitationRepository invitations;
    private final MessageRepository messages;
    private final UserDirectory users;
    private final Event<RealtimeEvent> events;
    private final RealtimePublisher realtime;
    private final MessageConfig config;
    private final Notices notices;
    private final RoomMirror mirror;
    private final Budgets budgets;

    public RoomService(RoomRepository rooms, MembershipRepository members, InvitationRepository invitations,
                       MessageRepository messages, UserDirectory users, Event<RealtimeEvent> events, RealtimePublisher realtime,
                       MessageConfig config, Notices notices, RoomMirror mirror, Budgets budgets) {
        this.budgets = budgets;
        this.notices = notices;
        this.mirror = mirror;
        this.rooms = rooms;
        this.members = members;
        this.invitations = invitations;
        this.messages = messages;
        this.users = users;
        this.events = events;
        this.realtime = realtime;
        this.config = config;
    }

    /** Whether this user is a member of this room (asked by user-service when it authorizes a room channel). */
    public boolean isMember(long roomId, long userId) {
        return members.isMember(roomId, userId);
    }

    public List<Room> joinableRooms() {
        return rooms.listPublic(config.rooms().listLimit());
    }

    /** Creates a room with its creator as first member. */
    @Transactional
    public Room create(Caller caller, String name, String visibility, String topic) {
        Room room = new Room();
        room.name = name.strip();
        room.visibility = visibility;
        room.topic = topic == null || topic.isBlank() ? null : topic.strip();
        room.createdBy = caller.id();
        rooms.persist(room);
        rooms.getEntityManager().refresh(room); // created_at comes from the database
        members.join(room.id, caller.id(), caller.handle());
        mirror.joined(room.id, caller.id());
        notices.created(room);
        post(room.id, caller, caller.handle() + " created the room");
        return room;
    }

    /** The timeline of a room the caller belongs to: 404 when there is no such room, 403 when not a member. */
    public Timeline memberTimeline(long roomId, Caller caller) {
        MembershipRepository.Access access = access(roomId, caller);
        if (!access.member()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "not a member of room " + roomId);
        }
        return Timeline.room(roomId);
    }

    /** The caller's read cursor in a room they belong to. */
    public long readId(long roomId, Caller caller) {
        return access(roomId, caller).lastReadId();
    }

    /** A room the caller may see: public ones, and private ones they belong to or are invited to. */
    public Room visibleRoom(long roomId, Caller caller) {
        MembershipRepository.Access access = access(roomId, caller);
        if (!PUBLIC.equals(access.visibility()) && !access.member() && !invitations.isInvited(roomId, caller.id())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "room " + roomId + " is private");
        }
        return rooms.findById(roomId);
    }

    /** Joins a room (idempotent): public rooms are open, private ones need an invitation, which joining uses up. */
    @Transactional
    public Room join(long roomId, Caller caller) {
        MembershipRepository.Access access = access(roomId, caller);
        if (access.member()) {
            return rooms.findById(roomId);
        }
        boolean invited = invitations.remove(roomId, caller.id());
        if (!PUBLIC.equals(access.visibility()) && !invited) {
            // a concurrent join of the same user may have used the invitation a moment ago
            if (members.isMember(roomId, caller.id())) {
                return rooms.findById(roomId);
            }
            throw new ProblemException(ProblemType.FORBIDDEN, "room " + roomId + " is private: a member has to invite you");
        }
        Room room = rooms.findById(roomId);
        if (invited) {
            notices.invitationRemoved(caller.id(), roomId);
        }
        if (members.join(roomId, caller.id(), caller.handle())) {
            mirror.joined(roomId, caller.id());
            notices.membership(caller.id(), room, true);
            post(roomId, caller, caller.handle() + " joined");
        }
        return room;
    }

    /** Leaves a room (idempotent). */
    @Transactional
    public void leave(long roomId, Caller caller) {
        access(roomId, caller);
        if (members.leave(roomId, caller.id())) {
            mirror.left(roomId, List.of(caller.id()));
            notices.membership(caller.id(), rooms.findById(roomId), false);
            post(roomId, caller, caller.handle() + " left");
        }
    }

    /** The members of a room the caller may see. */
    public List<RoomMember> members(long roomId, Caller caller) {
        visibleRoom(roomId, caller);
        return members.members(roomId);
    }

    /**
     * A member invites a user; refused when either has blocked the other. Every invitation first takes one from the
     * inviter's {@value #INVITATION_BUDGET} budget (429 when it is spent).
     */
    @Transactional
    public void invite(long roomId, Caller caller, long userId) {
        budgets.require(INVITATION_BUDGET, Long.toString(caller.id()));
        memberTimeline(roomId, caller);
        if (members.isMember(roomId, userId)) {
            throw new ProblemException(ProblemType.CONFLICT, "user " + userId + " is already a member of room " + roomId);
        }
        UserDirectory.Relation relation = users.relation(caller.id(), userId);
        if (relation.aBlocksB() || relation.bBlocksA()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "you cannot invite user " + userId);
        }
        if (invitations.invite(roomId, userId, caller.id())) {
            notices.invited(userId, rooms.findById(roomId), caller.id());
        }
    }

    /** The creator renames the room or changes its topic (a blank topic clears it). */
    @Transactional
    public Room rename(long roomId, Caller caller, String name, String topic) {
        Room room = owned(roomId, caller);
        if (name == null && topic == null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid: give a name, a topic or both");
        }
        if (name != null && name.isBlank()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid: name (1-80 characters)");
        }
        String newName = name == null ? room.name : name.strip();
        String newTopic = topic == null ? room.topic : topic.isBlank() ? null : topic.strip();
        if (!newName.equals(room.name) || !Objects.equals(newTopic, room.topic)) {
            room.name = newName;
            room.topic = newTopic;
            notices.renamed(room);
        }
        return room;
    }

    /** The creator deletes the room with its messages; members and the directory are told. */
    @Transactional
    public void delete(long roomId, Caller caller) {
        Room room = owned(roomId, caller);
        notices.deleted(room);
        mirror.left(roomId, members.members(roomId).stream().map(RoomMember::userId).toList());
        rooms.delete("id", roomId);
    }

    public List<PendingInvitation> invitationsOf(Caller caller) {
        return invitations.pendingFor(caller.id());
    }

    /** Declines an invitation (idempotent). */
    @Transactional
    public void decline(long roomId, Caller caller) {
        access(roomId, caller);
        if (invitations.remove(roomId, caller.id())) {
            notices.invitationRemoved(caller.id(), roomId);
        }
    }

    public List<JoinedRoom> roomsOf(Caller caller) {
        return members.roomsOf(caller.id(), config.unreadCap());
    }

    private Room owned(long roomId, Caller caller) {
        Room room = rooms.findByIdOptional(roomId)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no room " + roomId));
        if (room.createdBy != caller.id()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only the creator may change room " + roomId);
        }
        return room;
    }

    private MembershipRepository.Access access(long roomId, Caller caller) {
        return members.access(roomId, caller.id())
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no room " + roomId));
    }

    /** A system message about the caller, delivered like any other message once the transaction commits. */
    private void post(long roomId, Caller caller, String text) {
        Timeline room = Timeline.room(roomId);
        realtime.inChannelOrder(room.channel(), () -> {
            Message message = messages.insertSystem(room.place(), caller.id(), caller.handle(), text);
            events.fire(new RealtimeEvent(room.channel(), RealtimeEvent.MESSAGE, message));
            return message;
        });
        notices.posted(room, caller.id());
    }
}
