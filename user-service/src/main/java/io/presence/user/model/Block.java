package io.presence.user.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;

/** One account blocking another. */
@Entity
@Table(name = "blocks")
public class Block {

    /** Key of a block: who blocks whom. */
    @Embeddable
    public record Key(@Column(name = "blocker_id") Long blockerId, @Column(name = "blocked_id") Long blockedId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
