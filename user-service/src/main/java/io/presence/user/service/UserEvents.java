package io.presence.user.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.event.AfterCommit;
import io.presence.common.presence.RelationVersions;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.PusherConfig;
import io.presence.user.model.Account;
import io.presence.user.model.ContactRequest;
import io.presence.user.repository.ContactMirror;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Tells both people of a contact relation what changed for them, on each one's own {@code private-user-{id}}
 * channel, once the change has committed (see {@link AfterCommit}); docs/api.md lists the events. Every change also
 * counts the pair's {@link RelationVersions relation version} up, which ends message-service's cached answers, and a
 * contact begun or ended is written to the {@link ContactMirror}, which presence visibility reads.
 */
@ApplicationScoped
public class UserEvents {

    public static final String CONTACT_REQUEST = "contact_request";
    public static final String CONTACT_ACCEPTED = "contact_accepted";
    public static final String CONTACT_DECLINED = "contact_declined";
    public static final String CONTACT_REQUEST_CANCELLED = "contact_request_cancelled";
    public static final String CONTACT_REMOVED = "contact_removed";
    public static final String BLOCK_CHANGED = "block_changed";

    /** The other person of an event, in the same shape as the contacts API's user summaries. */
    public record UserSummary(String id, String handle, String displayName) {
    }

    /**
     * A change of a relation as one side sees it: {@code user} is the other person; for requests, {@code incoming}
     * says whether the request was made to the receiver.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContactChange(String requestId, UserSummary user, Boolean incoming) {
    }

    /** The receiver blocked ({@code blocked: true}) or unblocked someone. */
    public record BlockChange(UserSummary user, boolean blocked) {
    }

    private final EventPublisher publisher;
    private final TransactionSynchronizationRegistry transactions;
    private final AccountService accounts;
    private final ObjectMapper json;
    private final String appId;
    private final RelationVersions versions;
    private final ContactMirror mirror;

    public UserEvents(EventPublisher publisher, TransactionSynchronizationRegistry transactions, AccountService accounts,
                      ObjectMapper json, PusherConfig pusher, RelationVersions versions, ContactMirror mirror) {
        this.publisher = publisher;
        this.transactions = transactions;
        this.accounts = accounts;
        this.json = json;
        this.appId = pusher.appId();
        this.versions = versions;
        this.mirror = mirror;
    }

    /** A request event to the addressee and the requester, each naming the other. */
    public void request(String name, ContactRequest request) {
        versions.changedAfterCommit(transactions, request.requesterId, request.addresseeId);
        if (CONTACT_ACCEPTED.equals(name)) {
            long requester = request.requesterId;
            long addressee = request.addresseeId;
            AfterCommit.run(transactions, () -> mirror.began(requester, addressee), () -> { });
        }
        String id = request.id.toString();
        send(request.addresseeId, name, new ContactChange(id, summary(request.requesterId), true));
        toRequester(name, request);
    }

    /** A request event to the requester alone: what a request to someone who blocked them tells (the addressee hears nothing). */
    public void toRequester(String name, ContactRequest request) {
        send(request.requesterId, name, new ContactChange(request.id.toString(), summary(request.addresseeId), false));
    }

    /** The contact between the two ended (removed, blocked or an account deleted). */
    public void removed(long a, long b) {
        versions.changedAfterCommit(transactions, a, b);
        AfterCommit.run(transactions, () -> mirror.ended(a, b), () -> { });
        send(a, CONTACT_REMOVED, new ContactChange(null, summary(b), null));
        send(b, CONTACT_REMOVED, new ContactChange(null, summary(a), null));
    }

    /** To the blocker only: the blocked side is never told about a block. */
    public void block(long blocker, long blocked, boolean isBlocked) {
        versions.changedAfterCommit(transactions, blocker, blocked);
        send(blocker, BLOCK_CHANGED, new BlockChange(summary(blocked), isBlocked));
    }

    private UserSummary summary(long accountId) {
        Account account = accounts.require(accountId);
        return new UserSummary(account.id.toString(), account.handle, account.shownName());
    }

    private void send(long user, String name, Object data) {
        String encoded;
        try {
            encoded = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a user event", e);
        }
        try {
            AfterCommit.publish(publisher, transactions, appId, Channels.userChannel(user), ChannelEvent.server(name, encoded, null));
        } catch (EventPublisher.Refused e) {
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "real-time delivery is backed up; retry in a moment");
        }
    }
}
