package io.presence.user.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A contact request, pending or accepted; never serialized to the wire (see {@code ContactMapper}). */
@Entity
@Table(name = "contact_requests")
public class ContactRequest {

    public static final String PENDING = "pending";
    public static final String ACCEPTED = "accepted";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "requester_id", nullable = false)
    public Long requesterId;

    @Column(name = "addressee_id", nullable = false)
    public Long addresseeId;

    @Column(nullable = false, length = 10)
    public String state;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "responded_at")
    public OffsetDateTime respondedAt;

    /** The other account of the relation, seen from {@code accountId}. */
    public long other(long accountId) {
        return requesterId == accountId ? addresseeId : requesterId;
    }
}
