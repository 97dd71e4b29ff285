package io.presence.user.repository;

import io.presence.user.model.ContactRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
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

    public List<ContactRequest> pendingTo(long accountId) {
        return list("addresseeId = ?1 and state = ?2 order by createdAt desc, id desc", accountId, ContactRequest.PENDING);
    }

    public List<ContactRequest> pendingFrom(long accountId) {
        return list("requesterId = ?1 and state = ?2 order by createdAt desc, id desc", accountId, ContactRequest.PENDING);
    }

    public List<ContactRequest> acceptedOf(long accountId) {
        return list("(requesterId = ?1 or addresseeId = ?1) and state = ?2 order by respondedAt desc, id desc",
                accountId, ContactRequest.ACCEPTED);
    }
}
