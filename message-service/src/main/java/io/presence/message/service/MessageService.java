package io.presence.message.service;

import io.presence.common.budget.Budgets;
import io.presence.common.event.AfterCommit;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.Message;
import io.presence.message.repository.ConversationRepository;
import io.presence.message.repository.MembershipRepository;
import io.presence.message.repository.MessageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Messages of rooms and conversations alike: idempotent sends, history pages, edits and deletes by the author,
 * read cursors. Callers have checked that the caller belongs to the timeline. Every change fires its
 * {@link RealtimeEvent} inside the transaction; it is published only after the commit.
 */
@ApplicationScoped
public class MessageService {

    /**
     * The outcome of a send: the stored message, whether this request stored it or found it stored, and the message's
     * view as JSON when this request stored it (encoded once for its event; null otherwise).
     */
    public record Sent(Message message, boolean created, String encoded) {
    }

    /** A history page, oldest first, and the cursor of the page before it (null at the beginning). */
    public record Page(List<Message> messages, Long nextBefore) {
    }

    /** The data of a {@code read_cursor} event: a reader's cursor moved to a message. */
    public record CursorMoved(long userId, long messageId) {
    }

    /** A read cursor ("0": nothing read) and what is unread after it. */
    public record CursorState(long messageId, long unread) {
    }

    /** Message sends per user, to rooms and conversations alike ({@code budgets.messages.limit} per {@code .per}). */
    public static final String SEND_BUDGET = "messages";

    private final MessageRepository messages;
    private final MembershipRepository members;
    private final ConversationRepository conversations;
    private final Event<RealtimeEvent> events;
    private final SendBatcher batcher;
    private final MessageConfig config;
    private final Notices notices;
    private final Budgets budgets;
    private final UnreadCounts unread;
    private final TransactionSynchronizationRegistry transactions;

    public MessageService(MessageRepository messages, MembershipRepository members, ConversationRepository conversations,
                          Event<RealtimeEvent> events, SendBatcher batcher, MessageConfig config, Notices notices,
                          Budgets budgets, UnreadCounts unread, TransactionSynchronizationRegistry transactions) {
        this.unread = unread;
        this.transactions = transactions;
        this.budgets = budgets;
        this.notices = notices;
        this.messages = messages;
        this.members = members;
        this.conversations = conversations;
        this.events = events;
        this.batcher = batcher;
        this.config = config;
    }

    /**
     * Stores a message once per (author, client message id): a retry returns the stored message, never a second
     * one, even when the first attempt is still committing. The same key for another room or conversation is a 409.
     * Concurrent sends are stored together ({@link SendBatcher}); in a room the insert itself checks membership, and
     * only when it stores nothing is {@code accessCheck} run, to answer 404 or 403. Every send, a retry included,
     * first takes one from the author's {@value #SEND_BUDGET} budget (429 when it is spent).
     */
    public Sent send(Timeline place, Caller author, String text, String clientMessageId, Runnable accessCheck) {
        budgets.require(SEND_BUDGET, Long.toString(author.id()));
        return finish(place, author, text, clientMessageId, accessCheck, batcher.send(place, author, text, clientMessageId));
    }

    /**
     * The first attempt of {@link #send} without blocking: takes from the budget, queues the send and completes after
     * the commit (on a writer thread). Its outcome goes to {@link #finish}, which blocks only when nothing was stored.
     */
    public CompletionStage<SendBatcher.Outcome> attempt(Timeline place, Caller author, String text, String clientMessageId) {
        return budgets.check(SEND_BUDGET, Long.toString(author.id()), 1).subscribeAsCompletionStage()
                .thenCompose(taken -> batcher.submit(place, author, text, clientMessageId));
    }

    /**
     * What a send's first attempt means: the stored message (409 when its key was used elsewhere); when nothing was
     * stored, {@code accessCheck} answers 404 or 403, or passes when the author joined meanwhile and the send is tried
     * once more (blocking, on a worker thread).
     */
    public Sent finish(Timeline place, Caller author, String text, String clientMessageId, Runnable accessCheck,
                       SendBatcher.Outcome first) {
        SendBatcher.Outcome outcome = first;
        for (int attempt = 0; attempt < 2; attempt++) {
            Message stored = outcome.message();
            if (stored != null) {
                if (!place.contains(stored)) {
                    throw new ProblemException(ProblemType.CONFLICT, "clientMessageId " + clientMessageId
                            + " was already used for a message elsewhere; use a new one per message");
                }
                return new Sent(stored, outcome.created(), outcome.encoded());
            }
            if (attempt == 1) {
                break;
            }
            accessCheck.run(); // not a member (403) or no such room (404); passes only if they joined meanwhile
            outcome = batcher.send(place, author, text, clientMessageId);
        }
        throw new ProblemException(ProblemType.CONFLICT, "membership changed during the send; retry");
    }

    /** Replaces the text of one's own message; 409 once deleted. */
    @Transactional
    public Message edit(Timeline place, Caller caller, long messageId, String text) {
        Message message = ownMessage(place, caller, messageId);
        if (message.isDeleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "message " + messageId + " was deleted");
        }
        if (!text.equals(message.body)) {
            message.body = text;
            message.editedAt = OffsetDateTime.now(ZoneOffset.UTC);
            fire(place, RealtimeEvent.MESSAGE_UPDATED, message);
        }
        return message;
    }

    /** Deletes one's own message, leaving a tombstone so cursors stay valid (idempotent). */
    @Transactional
    public Message delete(Timeline place, Caller caller, long messageId) {
        Message message = ownMessage(place, caller, messageId);
        if (!message.isDeleted()) {
            message.body = null;
            message.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
            fire(place, RealtimeEvent.MESSAGE_DELETED, message);
            AfterCommit.run(transactions, () -> unread.deleted(place.place()), () -> { });
        }
        return message;
    }

    /**
     * A page of history before the message {@code before} (the latest page when absent), oldest first. Keyset
     * pagination on the message id: one index range scan however long the history is.
     */
    public Page history(Timeline place, String before, String limit) {
        int size = limit(limit);
        Long cursor = null;
        if (before != null) {
            cursor = messageIn(place, before, "before");
        }
        List<Message> newestFirst = new ArrayList<>(messages.olderThan(place.place(), cursor, size + 1));
        Long nextBefore = null;
        if (newestFirst.size() > size) {
            newestFirst.remove(size);
            nextBefore = newestFirst.get(size - 1).id;
        }
        Collections.reverse(newestFirst);
        return new Page(newestFirst, nextBefore);
    }

    /** Moves the caller's read cursor forward to a message of this timeline (a move back changes nothing). */
    @Transactional
    public CursorState moveCursor(Timeline place, Caller caller, String messageId) {
        long target = messageIn(place, messageId, "messageId");
        boolean moved = place.isRoom()
                ? members.advanceCursor(place.roomId(), caller.id(), target)
                : conversations.advanceCursor(place.conversationId(), caller.id(), target);
        CursorState state = cursor(place, caller);
        if (moved) {
            AfterCommit.run(transactions, () -> unread.read(place.place(), caller.id()), () -> { });
            events.fire(new RealtimeEvent(place.channel(), RealtimeEvent.READ_CURSOR,
                    new CursorMoved(caller.id(), target)));
            notices.read(place, caller.id(), state.unread());
        }
        return state;
    }

    /** The caller's read cursor and unread count. */
    public CursorState cursor(Timeline place, Caller caller) {
        long readId = place.isRoom()
                ? members.access(place.roomId(), caller.id()).map(MembershipRepository.Access::lastReadId).orElse(0L)
                : conversations.summary(place.conversationId(), caller.id(), 1).myReadId();
        return new CursorState(readId, messages.unread(place.place(), readId, caller.id(), config.unreadCap()));
    }

    private Message ownMessage(Timeline place, Caller caller, long messageId) {
        Message message = messages.findForUpdate(messageId).filter(place::contains)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no message " + messageId + " here"));
        if (!Message.KIND_USER.equals(message.kind) || message.authorId != caller.id()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only the author may change message " + messageId);
        }
        return message;
    }

    /** A message id given by the client that must name a message of this timeline; 400 otherwise. */
    private long messageIn(Timeline place, String value, String field) {
        long id = parseId(value);
        Message message = id <= 0 ? null : messages.findById(id);
        if (message == null || !place.contains(message)) {
            throw new ProblemException(ProblemType.BAD_REQUEST,
                    "bad cursor: " + field + " " + value + " is not a message of this " + (place.isRoom() ? "room" : "conversation"));
        }
        return id;
    }

    private int limit(String value) {
        int max = config.history().maxLimit();
        if (value == null) {
            return Math.min(config.history().defaultLimit(), max);
        }
        long n = parseId(value);
        if (n < 1 || n > max) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid: limit (1-" + max + ")");
        }
        return (int) n;
    }

    /** A positive decimal id, or -1 when the text is not one. */
    private static long parseId(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(value);
    }

    private void fire(Timeline place, String name, Message message) {
        events.fire(new RealtimeEvent(place.channel(), name, message));
    }
}
