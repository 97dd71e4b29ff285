package io.presence.message.repository;

import io.presence.message.model.Message;
import io.presence.message.model.Place;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The send hot path in plain JDBC on the same Agroal pool as Panache: a whole batch of sends is one multi-row INSERT
 * and one COMMIT ({@link Batch}), without Hibernate's native-query machinery.
 */
@ApplicationScoped
public class MessageWrites {

    /** One send of a batch: a user message by its author's client key. */
    public record NewMessage(Place place, long authorId, String authorHandle, String text, String clientMessageId) {
    }

    /** What identifies a send for idempotency. */
    public record ClientKey(long authorId, String clientMessageId) {
    }

    private static final String COLUMNS = "id, room_id, conversation_id, author_id, author_handle, kind, body, client_message_id,"
            + " created_at, edited_at, deleted_at";

    // unnest keeps the batch's order (ORDER BY n), so ids are drawn in queue order; a room message is inserted only
    // while its author is a member, checked in the same statement as before batching
    private static final String INSERT = "INSERT INTO messages (room_id, conversation_id, author_id, author_handle, kind, body,"
            + " client_message_id) SELECT v.room_id, v.conversation_id, v.author_id, v.author_handle, 'user', v.body, v.client_message_id"
            + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[]) WITH ORDINALITY"
            + " AS v(room_id, conversation_id, author_id, author_handle, body, client_message_id, n)"
            + " WHERE v.room_id IS NULL OR EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = v.room_id AND m.user_id = v.author_id)"
            + " ORDER BY v.n ON CONFLICT ON CONSTRAINT messages_author_client_message_key DO NOTHING RETURNING " + COLUMNS;

    private static final String FIND = "SELECT m." + COLUMNS.replace(", ", ", m.") + " FROM messages m JOIN unnest(?::bigint[], ?::varchar[]) AS k(author_id,"
            + " client_message_id) ON m.author_id = k.author_id AND m.client_message_id = k.client_message_id";

    private static final String ROOM_UNREAD = "SELECT m.user_id, (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.room_id = m.room_id"
            + " AND x.id > m.last_read_id AND x.author_id <> m.user_id AND x.deleted_at IS NULL LIMIT ?) unread)"
            + " FROM room_members m WHERE m.room_id = ? AND m.user_id <> ALL(?::bigint[])";

    private static final String CONVERSATION_UNREAD = "SELECT r.reader, (SELECT count(*) FROM (SELECT 1 FROM messages x"
            + " WHERE x.conversation_id = c.id AND x.id > r.read_id AND x.author_id <> r.reader AND x.deleted_at IS NULL LIMIT ?) unread)"
            + " FROM conversations c CROSS JOIN LATERAL (VALUES (c.user_low, c.low_read_id), (c.user_high, c.high_read_id)) AS r(reader, read_id)"
            + " WHERE c.id = ? AND r.reader <> ALL(?::bigint[])";

    private final DataSource database;

    public MessageWrites(DataSource database) {
        this.database = database;
    }

    /** Starts a transaction on a pooled connection; close it (rolls back unless committed). */
    public Batch begin() throws SQLException {
        Connection connection = database.getConnection();
        try {
            connection.setAutoCommit(false);
            return new Batch(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** One transaction of the send path. */
    public static final class Batch implements AutoCloseable {

        private final Connection connection;
        private boolean committed;

        private Batch(Connection connection) {
            this.connection = connection;
        }

        /**
         * Inserts the sends (distinct keys) in one statement; returns the rows it stored, in id order. A send is skipped
         * when its key is already stored (a concurrent insert of the key makes this wait until that one commits or
         * rolls back) or when its author is not a member of its room.
         */
        public List<Message> insert(List<NewMessage> sends) throws SQLException {
            int n = sends.size();
            Long[] rooms = new Long[n];
            Long[] conversations = new Long[n];
            Long[] authors = new Long[n];
            String[] handles = new String[n];
            String[] bodies = new String[n];
            String[] keys = new String[n];
            for (int i = 0; i < n; i++) {
                NewMessage s = sends.get(i);
                rooms[i] = s.place().roomId();
                conversations[i] = s.place().conversationId();
                authors[i] = s.authorId();
                handles[i] = s.authorHandle();
                bodies[i] = s.text();
                keys[i] = s.clientMessageId();
            }
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                statement.setArray(1, connection.createArrayOf("bigint", rooms));
                statement.setArray(2, connection.createArrayOf("bigint", conversations));
                statement.setArray(3, connection.createArrayOf("bigint", authors));
                statement.setArray(4, connection.createArrayOf("varchar", handles));
                statement.setArray(5, connection.createArrayOf("varchar", bodies));
                statement.setArray(6, connection.createArrayOf("varchar", keys));
                List<Message> rows = rows(statement);
                rows.sort((a, b) -> Long.compare(a.id, b.id));
                return rows;
            }
        }

        /** The stored messages of these keys (committed ones: a conflicting insert waited for them). */
        public Map<ClientKey, Message> find(Collection<ClientKey> wanted) throws SQLException {
            Map<ClientKey, Message> found = new HashMap<>();
            if (wanted.isEmpty()) {
                return found;
            }
            Long[] authors = wanted.stream().map(ClientKey::authorId).toArray(Long[]::new);
            String[] keys = wanted.stream().map(ClientKey::clientMessageId).toArray(String[]::new);
            try (PreparedStatement statement = connection.prepareStatement(FIND)) {
                statement.setArray(1, connection.createArrayOf("bigint", authors));
                statement.setArray(2, connection.createArrayOf("varchar", keys));
                for (Message m : rows(statement)) {
                    found.put(new ClientKey(m.authorId, m.clientMessageId), m);
                }
            }
            return found;
        }

        /**
         * The unread counts of a room's or conversation's readers but {@code skipped} (messages of others after their
         * cursor, up to {@code cap}).
         */
        public Map<Long, Long> unread(Place place, int cap, Collection<Long> skipped) throws SQLException {
            Map<Long, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(place.isRoom() ? ROOM_UNREAD : CONVERSATION_UNREAD)) {
                statement.setInt(1, cap);
                statement.setLong(2, place.id());
                statement.setArray(3, connection.createArrayOf("bigint", skipped.toArray(Long[]::new)));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            return counts;
        }

        public void commit() throws SQLException {
            connection.commit();
            committed = true;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (!committed && !connection.isClosed()) {
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the pool discards it
            } finally {
                connection.close();
            }
        }

        private static List<Message> rows(PreparedStatement statement) throws SQLException {
            List<Message> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Message m = new Message();
                    m.id = rs.getLong(1);
                    m.roomId = (Long) rs.getObject(2, Long.class);
                    m.conversationId = (Long) rs.getObject(3, Long.class);
                    m.authorId = rs.getLong(4);
                    m.authorHandle = rs.getString(5);
                    m.kind = rs.getString(6);
                    m.body = rs.getString(7);
                    m.clientMessageId = rs.getString(8);
                    m.createdAt = rs.getObject(9, OffsetDateTime.class);
                    m.editedAt = rs.getObject(10, OffsetDateTime.class);
                    m.deletedAt = rs.getObject(11, OffsetDateTime.class);
                    rows.add(m);
                }
            }
            return rows;
        }
    }
}
