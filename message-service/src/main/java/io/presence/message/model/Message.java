package io.presence.message.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A message of a room or of a direct conversation; never serialized to the wire (see {@code MessageMapper}).
 * Rows are inserted by {@code MessageWrites} and {@code MessageRepository.insertSystem} (INSERT ... RETURNING), so the id and
 * creation time come from the database.
 */
@Entity
@Table(name = "messages")
public class Message {

    /** A message a user wrote. */
    public static final String KIND_USER = "user";
    /** A message the service wrote about the room ("ana joined"). */
    public static final String KIND_SYSTEM = "system";

    @Id
    public Long id;

    @Column(name = "room_id", updatable = false)
    public Long roomId;

    @Column(name = "conversation_id", updatable = false)
    public Long conversationId;

    @Column(name = "author_id", nullable = false, updatable = false)
    public Long authorId;

    @Column(name = "author_handle", nullable = false, updatable = false, length = 32)
    public String authorHandle;

    @Column(nullable = false, updatable = false, length = 10)
    public String kind;

    /** The text; null once deleted. */
    @Column(length = 4000)
    public String body;

    @Column(name = "client_message_id", updatable = false, length = 100)
    public String clientMessageId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "edited_at")
    public OffsetDateTime editedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
