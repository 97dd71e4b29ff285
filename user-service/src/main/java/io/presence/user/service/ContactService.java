package io.presence.user.service;

import io.presence.common.budget.Budgets;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.model.Account;
import io.presence.user.model.Block;
import io.presence.user.model.BlockChanged;
import io.presence.user.model.ContactRequest;
import io.presence.user.repository.BlockRepository;
import io.presence.user.repository.ContactRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Contact requests (pending, accepted) and blocks. A block removes any relation; the blocker may make none with the
 * blocked, and the blocked never learns of the block: their requests to the blocker are kept and answered like any
 * other, but the blocker never sees nor hears of them ({@link #tell}). Every change is told to the people it concerns
 * ({@link UserEvents}).
 */
@ApplicationScoped
public class ContactService {

    /** What one account may do with another. */
    public record Relation(boolean contacts, boolean aBlocksB, boolean bBlocksA) {

        /** Direct messages and direct channels need an accepted contact and no block either way. */
        public boolean mayTalk() {
            return contacts && !aBlocksB && !bBlocksA;
        }
    }

    /** The outcome of a request: the relation, and whether it was created (or an opposite request accepted). */
    public record RequestOutcome(ContactRequest request, boolean created) {
    }

    private static final String NOT_ALLOWED = "not allowed";

    /** Contact requests per user ({@code budgets.contact-requests.limit} per {@code .per}). */
    public static final String REQUEST_BUDGET = "contact-requests";

    private final ContactRepository contacts;
    private final BlockRepository blocks;
    private final Event<BlockChanged> blockChanges;
    private final AccountService accounts;
    private final UserEvents events;
    private final Budgets budgets;

    public ContactService(ContactRepository contacts, BlockRepository blocks, AccountService accounts, Event<BlockChanged> blockChanges,
                          UserEvents events, Budgets budgets) {
        this.budgets = budgets;
        this.blockChanges = blockChanges;
        this.events = events;
        this.contacts = contacts;
        this.blocks = blocks;
        this.accounts = accounts;
    }

    /**
     * Asks for contact, first taking one from the asker's {@value #REQUEST_BUDGET} budget (429 when it is spent).
     * Safe under concurrency: the insert waits for a racing one of the same pair, and then this request sees the
     * relation that one made, as if it had come second.
     */
    @Transactional
    public RequestOutcome request(long me, String toHandle) {
        budgets.require(REQUEST_BUDGET, Long.toString(me));
        Account target = other(me, toHandle);
        if (blocks.blocks(me, target.id)) {
            throw new ProblemException(ProblemType.FORBIDDEN, NOT_ALLOWED);
        }
        Optional<Long> created = contacts.insertPending(me, target.id);
        if (created.isPresent()) {
            ContactRequest request = contacts.findById(created.get());
            tell(UserEvents.CONTACT_REQUEST, request);
            return new RequestOutcome(request, true);
        }
        ContactRequest relation = contacts.between(me, target.id)
                .orElseThrow(() -> new ProblemException(ProblemType.CONFLICT, "the relation with " + target.handle + " just changed; retry"));
        if (ContactRequest.ACCEPTED.equals(relation.state)) {
            throw new ProblemException(ProblemType.CONFLICT, "you and " + target.handle + " are contacts already");
        }
        if (relation.requesterId == me) {
            throw new ProblemException(ProblemType.CONFLICT, "your request to " + target.handle + " is pending");
        }
        // they asked first: asking back is saying yes
        return new RequestOutcome(accept(me, relation.id), false);
    }

    public List<ContactRequest> incoming(long me) {
        return contacts.shownPendingTo(me);
    }

    public List<ContactRequest> outgoing(long me) {
        return contacts.pendingFrom(me);
    }

    /** Accepts a request to me; accepting it again answers the same accepted request. */
    @Transactional
    public ContactRequest accept(long me, long requestId) {
        requireShown(me, requestId);
        boolean accepted = contacts.accept(requestId, me);
        ContactRequest request = contacts.findByIdOptional(requestId)
                .filter(r -> r.addresseeId == me && (accepted || ContactRequest.ACCEPTED.equals(r.state)))
                .orElseThrow(ContactService::noSuchRequest);
        if (accepted) {
            contacts.getEntityManager().refresh(request); // loaded before the bulk update, or cached stale
            events.request(UserEvents.CONTACT_ACCEPTED, request);
        }
        return request;
    }

    @Transactional
    public void decline(long me, long requestId) {
        requireShown(me, requestId);
        ContactRequest request = contacts.findByIdOptional(requestId).orElseThrow(ContactService::noSuchRequest);
        if (!contacts.deletePending(requestId, request.requesterId, me)) {
            throw noSuchRequest();
        }
        events.request(UserEvents.CONTACT_DECLINED, request);
    }

    @Transactional
    public void cancel(long me, long requestId) {
        ContactRequest request = contacts.findByIdOptional(requestId).orElseThrow(ContactService::noSuchRequest);
        if (!contacts.deletePending(requestId, me, request.addresseeId)) {
            throw noSuchRequest();
        }
        tell(UserEvents.CONTACT_REQUEST_CANCELLED, request);
    }

    public List<ContactRequest> contactsOf(long me) {
        return contacts.acceptedOf(me);
    }

    @Transactional
    public void remove(long me, String handle) {
        Account target = accounts.findByHandle(handle).orElseThrow(() -> noContact(handle));
        if (!contacts.deleteBetween(me, target.id, ContactRequest.ACCEPTED)) {
            throw noContact(handle);
        }
        events.removed(me, target.id);
    }

    /** Blocks (idempotent, also under concurrency: only the block that was new is announced). */
    @Transactional
    public void block(long me, String handle) {
        Account target = other(me, handle);
        if (blocks.insert(me, target.id)) {
            blockChanges.fire(new BlockChanged(me, target.id, true));
            events.block(me, target.id, true);
        }
        // the relation ends: both lists lose it (the blocked side sees a contact or request end, not a block)
        Optional<ContactRequest> relation = contacts.between(me, target.id);
        if (contacts.deleteBetween(me, target.id, null) && relation.isPresent()) {
            if (ContactRequest.ACCEPTED.equals(relation.get().state)) {
                events.removed(me, target.id);
            } else {
                events.request(UserEvents.CONTACT_REQUEST_CANCELLED, relation.get());
            }
        }
    }

    @Transactional
    public void unblock(long me, String handle) {
        accounts.findByHandle(handle).ifPresent(target -> {
            if (blocks.remove(me, target.id)) {
                blockChanges.fire(new BlockChanged(me, target.id, false));
                events.block(me, target.id, false);
            }
        });
    }

    /** An account going away ends its contacts and pending requests: the other sides are told. */
    void accountDeleting(@Observes AccountDeleting deleting) {
        long me = deleting.accountId();
        for (ContactRequest contact : contacts.acceptedOf(me)) {
            events.removed(me, contact.other(me));
        }
        for (ContactRequest pending : contacts.pendingTo(me)) {
            tell(UserEvents.CONTACT_REQUEST_CANCELLED, pending);
        }
        for (ContactRequest pending : contacts.pendingFrom(me)) {
            tell(UserEvents.CONTACT_REQUEST_CANCELLED, pending);
        }
    }

    public List<Block> blockedBy(long me) {
        return blocks.by(me);
    }

    public Relation relation(long a, long b) {
        boolean areContacts = contacts.between(a, b).filter(r -> ContactRequest.ACCEPTED.equals(r.state)).isPresent();
        return new Relation(areContacts, blocks.blocks(a, b), blocks.blocks(b, a));
    }

    /**
     * Tells both people of a request's change, or only the requester while the addressee blocks them: to the blocked
     * side such a request is like any other pending one, and the blocker never hears of it.
     */
    private void tell(String name, ContactRequest request) {
        if (blocks.blocks(request.addresseeId, request.requesterId)) {
            events.toRequester(name, request);
        } else {
            events.request(name, request);
        }
    }

    /** A request to the caller from someone they block is, to them, no such request. */
    private void requireShown(long me, long requestId) {
        if (contacts.fromSomeoneBlockedBy(requestId, me)) {
            throw noSuchRequest();
        }
    }

    private Account other(long me, String handle) {
        Account target = accounts.findByHandle(handle)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no user with handle '" + handle + "'"));
        if (target.id == me) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "that is your own handle");
        }
        return target;
    }

    private static ProblemException noSuchRequest() {
        return new ProblemException(ProblemType.NOT_FOUND, "no such pending request for you");
    }

    private static ProblemException noContact(String handle) {
        return new ProblemException(ProblemType.NOT_FOUND, "'" + handle + "' is not one of your contacts");
    }
}
