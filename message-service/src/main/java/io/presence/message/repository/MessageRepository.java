package io.presence.message.repository;

import io.presence.message.model.Message;
import io.presence.message.model.Place;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Queries on messages; every read of a timeline goes through the (place, id) indexes of V4. */
@ApplicationScoped
public class MessageRepository implements PanacheRepository<Message> {

    /** Inserts a system message ("ana joined"); those have no client id. */
    public Message insertSystem(Place place, long subjectId, String subjectHandle, String text) {
        return (Message) getEntityManager().createNativeQuery("INSERT INTO messages (" + place.column()
                        + ", author_id, author_handle, kind, body) VALUES (?1, ?2, ?3, 'system', ?4) RETURNING *", Message.class)
                .setParameter(1, place.id())
                .setParameter(2, subjectId)
                .setParameter(3, subjectHandle)
                .setParameter(4, text)
                .getSingleResult();
    }

    /** The message an author sent with this client id (unique index lookup). */
    public Optional<Message> findByClientId(long authorId, String clientMessageId) {
        return find("authorId = ?1 and clientMessageId = ?2", authorId, clientMessageId).firstResultOptional();
    }

    /** A message, locked against concurrent edits and deletes until the transaction ends. */
    public Optional<Message> findForUpdate(long id) {
        return Optional.ofNullable(getEntityManager().find(Message.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Up to {@code limit} messages older than {@code before} (all when null), newest first: one backward index range scan. */
    public List<Message> olderThan(Place place, Long before, int limit) {
        String where = (place.isRoom() ? "roomId" : "conversationId") + " = ?1";
        var query = before == null
                ? find(where + " order by id desc", place.id())
                : find(where + " and id < ?2 order by id desc", place.id(), before);
        return query.page(0, limit).list();
    }

    /**
     * Messages after the cursor that others wrote and nobody deleted, counted up to {@code cap} (the count stops
     * there, so a cursor far behind costs no more than {@code cap} index entries).
     */
    public long unread(Place place, long readId, long reader, int cap) {
        Number n = (Number) getEntityManager().createNativeQuery("SELECT count(*) FROM (SELECT 1 FROM messages WHERE "
                        + place.column() + " = ?1 AND id > ?2 AND author_id <> ?3 AND deleted_at IS NULL LIMIT ?4) unread")
                .setParameter(1, place.id())
                .setParameter(2, readId)
                .setParameter(3, reader)
                .setParameter(4, cap)
                .getSingleResult();
        return n.longValue();
    }
}
