package io.presence.user.service;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.model.Account;
import io.presence.user.model.Block;
import io.presence.user.model.ContactRequest;
import io.presence.user.repository.BlockRepository;
import io.presence.user.repository.ContactRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Contact requests (pending, accepted) and blocks. A block removes any relation and refuses new ones both ways;
 * the blocked side only ever learns "not allowed".
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

    private final ContactRepository contacts;
    private final BlockRepository blocks;
    private final Event<BlockChanged> blockChanges;
    private final AccountService accounts;

    public ContactService(ContactRepository contacts, BlockRepository blocks, AccountService accounts, Event<BlockChanged> blockChanges) {
        this.blockChanges = blockChanges;
        this.contacts = contacts;
        this.blocks = blocks;
        this.accounts = accounts;
    }

    @Transactional
    public RequestOutcome request(long me, String toHandle) {
        Account target = other(me, toHandle);
        if (blocks.eitherBlocks(me, target.id)) {
            throw new ProblemException(ProblemType.FORBIDDEN, NOT_ALLOWED);
        }
        Optional<ContactRequest> existing = contacts.between(me, target.id);
        if (existing.isPresent()) {
            ContactRequest relation = existing.get();
            if (ContactRequest.ACCEPTED.equals(relation.state)) {
                throw new ProblemException(ProblemType.CONFLICT, "you and " + target.handle + " are contacts already");
            }
            if (relation.requesterId == me) {
                throw new ProblemException(ProblemType.CONFLICT, "your request to " + target.handle + " is pending");
            }
            // they asked first: asking back is saying yes
            accept(relation);
            return new RequestOutcome(relation, false);
        }
        ContactRequest request = new ContactRequest();
        request.requesterId = me;
        request.addresseeId = target.id;
        request.state = ContactRequest.PENDING;
        try {
            contacts.persistAndFlush(request);
        } catch (ConstraintViolationException e) {
            throw new ProblemException(ProblemType.CONFLICT, "a request between you and " + target.handle + " was just made");
        }
        contacts.getEntityManager().refresh(request);
        return new RequestOutcome(request, true);
    }

    public List<ContactRequest> incoming(long me) {
        return contacts.pendingTo(me);
    }

    public List<ContactRequest> outgoing(long me) {
        return contacts.pendingFrom(me);
    }

    @Transactional
    public ContactRequest accept(long me, long requestId) {
        ContactRequest request = pending(requestId).filter(r -> r.addresseeId == me).orElseThrow(ContactService::noSuchRequest);
        accept(request);
        return request;
    }

    @Transactional
    public void decline(long me, long requestId) {
        contacts.delete(pending(requestId).filter(r -> r.addresseeId == me).orElseThrow(ContactService::noSuchRequest));
    }

    @Transactional
    public void cancel(long me, long requestId) {
        contacts.delete(pending(requestId).filter(r -> r.requesterId == me).orElseThrow(ContactService::noSuchRequest));
    }

    public List<ContactRequest> contactsOf(long me) {
        return contacts.acceptedOf(me);
    }

    @Transactional
    public void remove(long me, String handle) {
        Account target = accounts.findByHandle(handle).orElseThrow(() -> noContact(handle));
        ContactRequest relation = contacts.between(me, target.id)
                .filter(r -> ContactRequest.ACCEPTED.equals(r.state))
                .orElseThrow(() -> noContact(handle));
        contacts.delete(relation);
    }

    @Transactional
    public void block(long me, String handle) {
        Account target = other(me, handle);
        Block.Key key = new Block.Key(me, target.id);
        if (blocks.findByIdOptional(key).isEmpty()) {
            Block block = new Block();
            block.key = key;
            blocks.persist(block);
            blockChanges.fire(new BlockChanged(me, target.id, true));
        }
        contacts.between(me, target.id).ifPresent(contacts::delete);
    }

    @Transactional
    public void unblock(long me, String handle) {
        accounts.findByHandle(handle).ifPresent(target -> {
            if (blocks.deleteById(new Block.Key(me, target.id))) {
                blockChanges.fire(new BlockChanged(me, target.id, false));
            }
        });
    }

    public List<Block> blockedBy(long me) {
        return blocks.by(me);
    }

    public Relation relation(long a, long b) {
        boolean areContacts = contacts.between(a, b).filter(r -> ContactRequest.ACCEPTED.equals(r.state)).isPresent();
        return new Relation(areContacts, blocks.blocks(a, b), blocks.blocks(b, a));
    }

    private Account other(long me, String handle) {
        Account target = accounts.findByHandle(handle)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no user with handle '" + handle + "'"));
        if (target.id == me) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "that is your own handle");
        }
        return target;
    }

    private Optional<ContactRequest> pending(long requestId) {
        return contacts.findByIdOptional(requestId).filter(r -> ContactRequest.PENDING.equals(r.state));
    }

    private static void accept(ContactRequest request) {
        request.state = ContactRequest.ACCEPTED;
        request.respondedAt = OffsetDateTime.now();
    }

    private static ProblemException noSuchRequest() {
        return new ProblemException(ProblemType.NOT_FOUND, "no such pending request for you");
    }

    private static ProblemException noContact(String handle) {
        return new ProblemException(ProblemType.NOT_FOUND, "'" + handle + "' is not one of your contacts");
    }
}
