package io.presence.message.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A direct conversation of two users, stored once per pair with {@code userLow < userHigh}; never on the wire. */
@Entity
@Table(name = "conversations")
public class Conversation {

    @Id
    public Long id;

    @Column(name = "user_low", nullable = false, updatable = false)
    public Long userLow;

    @Column(name = "user_high", nullable = false, updatable = false)
    public Long userHigh;

    /** Read cursor of {@link #userLow}: id of the last message read, 0 for none. */
    @Column(name = "low_read_id", nullable = false)
    public long lowReadId;

    /** Read cursor of {@link #userHigh}. */
    @Column(name = "high_read_id", nullable = false)
    public long highReadId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** The other participant. */
    public long other(long me) {
        return userLow == me ? userHigh : userLow;
    }

    /** This participant's read cursor. */
    public long readIdOf(long user) {
        return userLow == user ? lowReadId : highReadId;
    }
}
