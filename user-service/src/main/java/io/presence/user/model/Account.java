package io.presence.user.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A registered user; never serialized to the wire (see {@code AccountMapper}). */
@Entity
@Table(name = "accounts")
public class Account {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 32)
    public String handle;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "display_name", length = 64)
    public String displayName;

    @Column(name = "status_text", length = 100)
    public String statusText;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** The name to show: the display name, or the handle when none is set. */
    public String shownName() {
        return displayName == null ? handle : displayName;
    }
}
