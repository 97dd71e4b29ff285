package io.presence.user.repository;

import io.presence.user.model.ContactRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Queries on contact requests and accepted contacts. */
@ApplicationScoped
public class ContactRepository implements PanacheRepository<ContactRequest> {

    /** The relation between two accounts, whoever asked. */
    public Optional<ContactRequest> between(long a, long b) {
        return find("(requesterId = ?1 and addresseeId = ?2) or (requesterId = ?2 and addresseeId = ?1)", a, b)
                .firstResultOptional();
    }

    /**
     * Records a pending request unless the pair already has a relation, either way round; the new request's id,
     * or empty. A concurrent insert for the same pair makes this wait for that one to commit (then: empty), so
     * racing requests never both insert and never fail on the unique index.
     */
    public Optional<Long> insertPending(long requester, long addressee) {
        List<?> ids = getEntityManager().createNativeQuery("INSERT INTO contact_requests (requester_id, addressee_id, state)"
                        + " VALUES (?1, ?2, 'pending') ON CONFLICT DO NOTHING RETURNING id")
                .setParameter(1, requester).setParameter(2, addressee)
                .getResultList();
        return ids.stream().findFirst().map(id -> ((Number) id).longValue());
    }

    /** Accepts a request still pending to this addressee; false when it is not (any more). */
    public boolean accept(long requestId, long addressee) {
        return update("state = ?1, respondedAt = ?2 where id = ?3 and addresseeId = ?4 and state = ?5",
                ContactRequest.ACCEPTED, OffsetDateTime.now(), requestId, addressee, ContactRequest.PENDING) == 1;
    }

    /** Deletes a request still pending between these two (requester first); false when there is none. */
    public boolean deletePending(long requestId, long requester, long addressee) {
        return delete("id = ?1 and requesterId = ?2 and addresseeId = ?3 and state = ?4",
                requestId, requester, addressee, ContactRequest.PENDING) == 1;
    }

    /** Deletes the relation of two accounts, in the given state or (state null) in any; false when there was none. */
    public boolean deleteBetween(long a, long b, String state) {
        String pair = "((requesterId = ?1 and addresseeId = ?2) or (requesterId = ?2 and addresseeId = ?1))";
        return (state == null ? delete(pair, a, b) : delete(pair + " and state = ?3", a, b, state)) > 0;
    }

    public List<ContactRequest> pendingTo(long accountId) {
        return list("addresseeId = ?1 and state = ?2 order by createdAt desc, id desc", accountId, ContactRequest.PENDING);
    }

    /** Pending requests to the account, but those of people it blocks (they are kept for the requester only). */
    public List<ContactRequest> shownPendingTo(long accountId) {
        return list("addresseeId = ?1 and state = ?2 and requesterId not in"
                + " (select b.key.blockedId from Block b where b.key.blockerId = ?1) order by createdAt desc, id desc",
                accountId, ContactRequest.PENDING);
    }

    public List<ContactRequest> pendingFrom(long accountId) {
        return list("requesterId = ?1 and state = ?2 order by createdAt desc, id desc", accountId, ContactRequest.PENDING);
    }

    public List<ContactRequest> acceptedOf(long accountId) {
        return list("(requesterId = ?1 or addresseeId = ?1) and state = ?2 order by respondedAt desc, id desc",
                accountId, ContactRequest.ACCEPTED);
    }

    /** Whether the request is to this account from someone it blocks (read without loading the request). */
    public boolean fromSomeoneBlockedBy(long requestId, long accountId) {
        return getEntityManager().createQuery("select count(r) from ContactRequest r, Block b where r.id = ?1 and r.addresseeId = ?2"
                        + " and b.key.blockerId = r.addresseeId and b.key.blockedId = r.requesterId", Long.class)
                .setParameter(1, requestId).setParameter(2, accountId).getSingleResult() > 0;
    }

    /** Every accepted contact relation (for the contacts mirror's resync). */
    public List<ContactRequest> allAccepted() {
        return list("state", ContactRequest.ACCEPTED);
    }
}
