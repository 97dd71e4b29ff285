package io.presence.message.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;

/** Pending invitations to rooms (table {@code room_invitations}). */
@ApplicationScoped
public class InvitationRepository {

    /** A pending invitation with the room it opens. */
    public record Pending(long roomId, String name, String visibility, String topic, long createdBy,
                          OffsetDateTime roomCreatedAt, long invitedBy, OffsetDateTime invitedAt) {
    }

    private final EntityManager em;

    public InvitationRepository(EntityManager em) {
        this.em = em;
    }

    /** Records an invitation; inviting again changes nothing (false). */
    public boolean invite(long roomId, long userId, long invitedBy) {
        return em.createNativeQuery("INSERT INTO room_invitations (room_id, user_id, invited_by) VALUES (?1, ?2, ?3)"
                        + " ON CONFLICT (room_id, user_id) DO NOTHING")
                .setParameter(1, roomId).setParameter(2, userId).setParameter(3, invitedBy)
                .executeUpdate() == 1;
    }

    public boolean isInvited(long roomId, long userId) {
        return !em.createNativeQuery("SELECT 1 FROM room_invitations WHERE room_id = ?1 AND user_id = ?2")
                .setParameter(1, roomId).setParameter(2, userId)
                .getResultList().isEmpty();
    }

    /** Deletes an invitation (joined or declined); false when there was none. */
    public boolean remove(long roomId, long userId) {
        return em.createNativeQuery("DELETE FROM room_invitations WHERE room_id = ?1 AND user_id = ?2")
                .setParameter(1, roomId).setParameter(2, userId)
                .executeUpdate() == 1;
    }

    /** The user's pending invitations, newest first. */
    public List<Pending> pendingFor(long userId) {
        List<?> rows = em.createNativeQuery("SELECT r.id, r.name, r.visibility, r.topic, r.created_by, r.created_at,"
                        + " i.invited_by, i.created_at FROM room_invitations i JOIN rooms r ON r.id = i.room_id"
                        + " WHERE i.user_id = ?1 ORDER BY i.created_at DESC, r.id")
                .setParameter(1, userId)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(r -> new Pending(Rows.number(r[0]), (String) r[1], (String) r[2], (String) r[3],
                        Rows.number(r[4]), Rows.time(r[5]), Rows.number(r[6]), Rows.time(r[7])))
                .toList();
    }
}
