package io.presence.message.repository;

import io.presence.message.model.JoinedRoom;
import io.presence.message.model.RoomMember;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Queries on room membership and members' read cursors (table {@code room_members}). */
@ApplicationScoped
public class MembershipRepository {

    /** A room as one user sees it: its visibility and, when they are a member, their read cursor. */
    public record Access(String visibility, boolean member, long lastReadId) {
    }

    private final EntityManager em;
    private final RoomUserTable members;

    public MembershipRepository(EntityManager em) {
        this.em = em;
        this.members = new RoomUserTable(em, "room_members");
    }

    /** One primary-key lookup. */
    public boolean isMember(long roomId, long userId) {
        return members.contains(roomId, userId);
    }

    /** The room's visibility and the user's membership in one round trip; empty when there is no such room. */
    public Optional<Access> access(long roomId, long userId) {
        List<?> rows = em.createNativeQuery("SELECT r.visibility, m.user_id IS NOT NULL, coalesce(m.last_read_id, 0)"
                        + " FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ?2 WHERE r.id = ?1")
                .setParameter(1, roomId).setParameter(2, userId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Access((String) row[0], (Boolean) row[1], Rows.number(row[2])));
    }

    /** Adds a member; false when they already were one. */
    public boolean join(long roomId, long userId, String handle) {
        return members.insert(roomId, userId, "handle", handle);
    }

    /** Removes a member; false when they were none. */
    public boolean leave(long roomId, long userId) {
        return members.delete(roomId, userId);
    }

    /** The members in the order they joined. */
    public List<RoomMember> members(long roomId) {
        List<?> rows = em.createNativeQuery("SELECT user_id, handle, joined_at, last_read_id FROM room_members"
                        + " WHERE room_id = ?1 ORDER BY joined_at, user_id")
                .setParameter(1, roomId)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(r -> new RoomMember(Rows.number(r[0]), (String) r[1], Rows.time(r[2]), Rows.number(r[3])))
                .toList();
    }

    /** Moves a member's read cursor forward (never back, even against a concurrent update); false when it did not move. */
    public boolean advanceCursor(long roomId, long userId, long messageId) {
        return em.createNativeQuery("UPDATE room_members SET last_read_id = ?3"
                        + " WHERE room_id = ?1 AND user_id = ?2 AND last_read_id < ?3")
                .setParameter(1, roomId).setParameter(2, userId).setParameter(3, messageId)
                .executeUpdate() == 1;
    }

    /** Each member's unread count in the room (as {@link #roomsOf} counts it), but the given user's: userId to count. */
    public Map<Long, Long> unreadOfOthers(long roomId, long except, int cap) {
        List<?> rows = em.createNativeQuery("SELECT m.user_id,"
                        + " (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.room_id = m.room_id AND x.id > m.last_read_id"
                        + "   AND x.author_id <> m.user_id AND x.deleted_at IS NULL LIMIT ?3) unread)"
                        + " FROM room_members m WHERE m.room_id = ?1 AND m.user_id <> ?2 ORDER BY m.user_id")
                .setParameter(1, roomId).setParameter(2, except).setParameter(3, cap)
                .getResultList();
        Map<Long, Long> counts = new LinkedHashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            counts.put(Rows.number(r[0]), Rows.number(r[1]));
        }
        return counts;
    }

    /**
     * The user's rooms by name, each with its unread count (messages of others after the cursor, counted up to
     * {@code cap} through the room's message index).
     */
    public List<JoinedRoom> roomsOf(long userId, int cap) {
        List<?> rows = em.createNativeQuery("SELECT r.id, r.name, r.visibility, r.topic, r.created_by, r.created_at,"
                        + " m.joined_at, m.last_read_id,"
                        + " (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.room_id = r.id AND x.id > m.last_read_id"
                        + "   AND x.author_id <> m.user_id AND x.deleted_at IS NULL LIMIT ?2) unread)"
                        + " FROM room_members m JOIN rooms r ON r.id = m.room_id"
                        + " WHERE m.user_id = ?1 ORDER BY lower(r.name), r.id")
                .setParameter(1, userId).setParameter(2, cap)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(r -> new JoinedRoom(Rows.number(r[0]), (String) r[1], (String) r[2], (String) r[3],
                        Rows.number(r[4]), Rows.time(r[5]), Rows.time(r[6]),
                        Rows.number(r[7]), Rows.number(r[8])))
                .toList();
    }
}
