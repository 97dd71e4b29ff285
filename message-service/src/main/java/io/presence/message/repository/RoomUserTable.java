package io.presence.message.repository;

import jakarta.persistence.EntityManager;

/** What a table keyed by (room_id, user_id) answers alike, room members and room invitations: add, look up, delete. */
final class RoomUserTable {

    private final EntityManager em;
    private final String table;

    /** {@code table} is one of this package's constant table names, never input. */
    RoomUserTable(EntityManager em, String table) {
        this.em = em;
        this.table = table;
    }

    /** Adds the row with one more column ({@code column}, a constant name, never input); false when it was there already. */
    boolean insert(long roomId, long userId, String column, Object value) {
        return em.createNativeQuery("INSERT INTO " + table + " (room_id, user_id, " + column + ") VALUES (?1, ?2, ?3)"
                        + " ON CONFLICT (room_id, user_id) DO NOTHING")
                .setParameter(1, roomId).setParameter(2, userId).setParameter(3, value)
                .executeUpdate() == 1;
    }

    /** One primary-key lookup. */
    boolean contains(long roomId, long userId) {
        return !em.createNativeQuery("SELECT 1 FROM " + table + " WHERE room_id = ?1 AND user_id = ?2")
                .setParameter(1, roomId).setParameter(2, userId)
                .getResultList().isEmpty();
    }

    /** Deletes the row; false when there was none. */
    boolean delete(long roomId, long userId) {
        return em.createNativeQuery("DELETE FROM " + table + " WHERE room_id = ?1 AND user_id = ?2")
                .setParameter(1, roomId).setParameter(2, userId)
                .executeUpdate() == 1;
    }
}
