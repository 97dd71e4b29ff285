package io.presence.message.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Queries on room membership. */
@ApplicationScoped
public class MembershipRepository {

    private final EntityManager em;

    public MembershipRepository(EntityManager em) {
        this.em = em;
    }

    /** One primary-key lookup. */
    public boolean isMember(long roomId, long userId) {
        return !em.createNativeQuery("SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?2")
                .setParameter(1, roomId).setParameter(2, userId)
                .getResultList().isEmpty();
    }
}
