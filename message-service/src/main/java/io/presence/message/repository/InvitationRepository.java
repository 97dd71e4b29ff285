package io.presence.message.repository;

import io.presence.message.model.PendingInvitation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;

/** PendingInvitation invitations to rooms (table {@code room_invitations}). */
@ApplicationScoped
public class InvitationRepository {

    private final EntityManager em;
    private final RoomUserTable invitations;

    public InvitationRepository(EntityManager em) {
        this.em = em;
        this.invitations = new RoomUserTable(em, "room_invitations");
    }

    /** Records an invitation; inviting again changes nothing (false). */
    public boolean invite(long roomId, long userId, long invitedBy) {
        return invitations.insert(roomId, userId, "invited_by", invitedBy);
    }

    public boolean isInvited(long roomId, long userId) {
        return invitations.contains(roomId, userId);
    }

    /** Deletes an invitation (joined or declined); false when there was none. */
    public boolean remove(long roomId, long userId) {
        return invitations.delete(roomId, userId);
    }

    /** The user's pending invitations, newest first. */
    public List<PendingInvitation> pendingFor(long userId) {
        List<?> rows = em.createNativeQuery("SELECT r.id, r.name, r.visibility, r.topic, r.created_by, r.created_at,"
                        + " i.invited_by, i.created_at FROM room_invitations i JOIN rooms r ON r.id = i.room_id"
                        + " WHERE i.user_id = ?1 ORDER BY i.created_at DESC, r.id")
                .setParameter(1, userId)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(r -> new PendingInvitation(Rows.number(r[0]), (String) r[1], (String) r[2], (String) r[3],
                        Rows.number(r[4]), Rows.time(r[5]), Rows.number(r[6]), Rows.time(r[7])))
                .toList();
    }
}
