package io.presence.message.repository;

import io.presence.message.model.Conversation;
import io.presence.message.model.ConversationSummary;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;
import java.time.OffsetDateTime;
import java.util.List;

/** Queries on direct conversations; a pair is always passed in canonical order (low id first). */
@ApplicationScoped
public class ConversationRepository implements PanacheRepository<Conversation> {

    /** The conversation of the pair, created on first use; concurrent first uses end with one row. */
    public Conversation open(long low, long high) {
        Conversation existing = find("userLow = ?1 and userHigh = ?2", low, high).firstResult();
        if (existing != null) {
            return existing;
        }
        getEntityManager().createNativeQuery("INSERT INTO conversations (user_low, user_high) VALUES (?1, ?2)"
                        + " ON CONFLICT ON CONSTRAINT conversations_pair_key DO NOTHING")
                .setParameter(1, low).setParameter(2, high)
                .executeUpdate();
        return find("userLow = ?1 and userHigh = ?2", low, high).singleResult();
    }

    /** The user's conversations, most recent message first, each with unread counted up to {@code cap}. */
    public List<ConversationSummary> conversationsOf(long user, int cap) {
        return summaries(user, cap, null);
    }

    /** One conversation of the user, with their read state. */
    public ConversationSummary summary(long conversationId, long user, int cap) {
        return summaries(user, cap, conversationId).get(0);
    }

    /** Moves one participant's read cursor forward (never back, even against a concurrent update); false when it did not move. */
    public boolean advanceCursor(long conversationId, long user, long messageId) {
        return getEntityManager().createNativeQuery("UPDATE conversations SET"
                        + " low_read_id = CASE WHEN user_low = ?2 THEN greatest(low_read_id, ?3) ELSE low_read_id END,"
                        + " high_read_id = CASE WHEN user_high = ?2 THEN greatest(high_read_id, ?3) ELSE high_read_id END"
                        + " WHERE id = ?1 AND ((user_low = ?2 AND low_read_id < ?3) OR (user_high = ?2 AND high_read_id < ?3))")
                .setParameter(1, conversationId).setParameter(2, user).setParameter(3, messageId)
                .executeUpdate() == 1;
    }

    private List<ConversationSummary> summaries(long user, int cap, Long only) {
        Query query = getEntityManager().createNativeQuery("SELECT c.id, c.user_low, c.user_high, c.my_read, c.other_read,"
                        + " (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.conversation_id = c.id AND x.id > c.my_read"
                        + "   AND x.author_id <> ?1 AND x.deleted_at IS NULL LIMIT ?2) unread),"
                        + " (SELECT max(x.id) FROM messages x WHERE x.conversation_id = c.id), c.created_at"
                        + " FROM (SELECT id, user_low, user_high, created_at,"
                        + "   CASE WHEN user_low = ?1 THEN low_read_id ELSE high_read_id END AS my_read,"
                        + "   CASE WHEN user_low = ?1 THEN high_read_id ELSE low_read_id END AS other_read"
                        + "   FROM conversations WHERE (user_low = ?1 OR user_high = ?1)" + (only == null ? "" : " AND id = ?3") + ") c"
                        + " ORDER BY 7 DESC NULLS LAST, c.id DESC");
        query.setParameter(1, user).setParameter(2, cap);
        if (only != null) {
            query.setParameter(3, only);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(r -> new ConversationSummary(Rows.number(r[0]), Rows.number(r[1]), Rows.number(r[2]),
                        Rows.number(r[3]), Rows.number(r[4]), Rows.number(r[5]),
                        Rows.nullableNumber(r[6]), Rows.time(r[7])))
                .toList();
    }
}
