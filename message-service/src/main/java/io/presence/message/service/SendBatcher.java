package io.presence.message.service;

import io.presence.common.event.EventPublisher;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.Message;
import io.presence.message.model.Place;
import io.presence.message.repository.MessageWrites;
import io.presence.message.repository.MessageWrites.ClientKey;
import io.presence.message.repository.MessageWrites.NewMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Group commit of message sends: concurrent sends wait in one queue, and a few writer threads each take whatever has
 * queued (up to a batch size, without waiting for more) and store it as one INSERT and one COMMIT. Each send is
 * answered after that commit with its own row. A batch draws its ids and reserves its events' places while holding
 * its channels' order ({@link RealtimePublisher#inChannelOrder}), so each channel's messages go out in id order,
 * once, and only after the commit. Each stored message is encoded once, for its event and for the answer, and a
 * batch's events are released last first, so the publisher finds a channel's whole batch ready and numbers it in one
 * script call. The readers' unread counts follow in {@link UnreadCounts}' next round.
 */
@ApplicationScoped
public class SendBatcher {

    private static final Logger LOG = Logger.getLogger(SendBatcher.class);
    private static final long ANSWER_WITHIN_SECONDS = 60;

    /**
     * What became of a send: the row stored under its key (null: nothing stored, e.g. not a member), whether this
     * send stored it, and then the message's view as JSON, as its event carries it (null otherwise).
     */
    public record Outcome(Message message, boolean created, String encoded) {
    }

    private record Request(Timeline place, NewMessage send, CompletableFuture<Outcome> answer) {
        ClientKey key() {
            return new ClientKey(send.authorId(), send.clientMessageId());
        }
    }

    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final MessageWrites writes;
    private final RealtimePublisher realtime;
    private final MessageMetrics metrics;
    private final UnreadCounts unread;
    private final MessageConfig config;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    public SendBatcher(MessageWrites writes, RealtimePublisher realtime, MessageMetrics metrics, UnreadCounts unread,
                       MessageConfig config) {
        this.writes = writes;
        this.realtime = realtime;
        this.metrics = metrics;
        this.unread = unread;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        for (int i = 0; i < config.send().writers(); i++) {
            Thread writer = new Thread(this::write, "message-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        writers.forEach(Thread::interrupt);
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(r -> r.answer().completeExceptionally(
                new ProblemException(ProblemType.STORE_UNAVAILABLE, "message-service is stopping; retry")));
    }

    /** Stores a user message once per (author, key) and answers after the commit; blocks the calling worker thread. */
    public Outcome send(Timeline place, Caller author, String text, String clientMessageId) {
        try {
            return submit(place, author, text, clientMessageId).get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // already the problem to answer (see submit)
            }
            throw new IllegalStateException("send failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "the database did not answer in time; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.STORE_UNAVAILABLE, "interrupted; retry");
        }
    }

    /**
     * Queues a user message and returns at once; completes after the commit (on a writer thread), or fails with the
     * problem to answer (503 when the database does not answer within a minute).
     */
    public CompletableFuture<Outcome> submit(Timeline place, Caller author, String text, String clientMessageId) {
        if (writers.isEmpty()) {
            throw new IllegalStateException("message writers are not running");
        }
        Request request = new Request(place, new NewMessage(place.place(), author.id(), author.handle(), text, clientMessageId),
                new CompletableFuture<>());
        queue.add(request);
        return request.answer().orTimeout(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS).exceptionallyCompose(SendBatcher::problem);
    }

    /** A writer's failure as the problem the sender answers with. */
    private static CompletableFuture<Outcome> problem(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            cause = new ProblemException(ProblemType.STORE_UNAVAILABLE, "the database did not answer in time; retry");
        } else if (cause instanceof ProblemException p) {
            cause = new ProblemException(p.type(), p.getMessage());
        } else if (!(cause instanceof IllegalStateException)) {
            cause = new IllegalStateException("send failed", cause);
        }
        return CompletableFuture.failedFuture(cause);
    }

    private void write() {
        List<Request> batch = new ArrayList<>();
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, config.send().maxBatch() - 1);
            try {
                store(batch);
            } catch (Exception e) {
                if (batch.size() > 1 && !(e instanceof ProblemException) && !isConnectionTrouble(e)) {
                    // one bad send (say, text PostgreSQL refuses) must not fail the others: one by one
                    for (Request r : batch) {
                        try {
                            store(List.of(r));
                        } catch (Exception single) {
                            r.answer().completeExceptionally(single);
                        }
                    }
                } else {
                    batch.forEach(r -> r.answer().completeExceptionally(e));
                }
            } catch (Throwable t) {
                batch.forEach(r -> r.answer().completeExceptionally(t));
                LOG.error("message writer failed", t);
            } finally {
                batch.forEach(r -> r.answer().completeExceptionally(new IllegalStateException("send not answered")));
                batch.clear();
            }
        }
    }

    /** One transaction for the batch; completes every request's answer after the commit. */
    private void store(List<Request> batch) throws SQLException {
        // a key sent twice in the batch is inserted once; the repeat gets the same row, as a retry would
        Map<ClientKey, Request> first = new LinkedHashMap<>();
        for (Request r : batch) {
            first.putIfAbsent(r.key(), r);
        }
        List<NewMessage> sends = first.values().stream().map(Request::send).toList();
        Set<String> channels = new LinkedHashSet<>();
        first.values().forEach(r -> channels.add(r.place().channel()));
        List<EventPublisher.Ticket> tickets = new ArrayList<>();
        try (MessageWrites.Batch tx = writes.begin()) {
            List<Message> inserted = realtime.inChannelOrder(channels, () -> {
                List<Message> rows = sql(() -> tx.insert(sends));
                for (Message m : rows) {
                    tickets.add(realtime.reserve(first.get(new ClientKey(m.authorId, m.clientMessageId)).place().channel()));
                }
                return rows;
            });
            Map<ClientKey, Message> created = new LinkedHashMap<>();
            inserted.forEach(m -> created.put(new ClientKey(m.authorId, m.clientMessageId), m));
            Set<ClientKey> missing = new LinkedHashSet<>(first.keySet());
            missing.removeAll(created.keySet());
            Map<ClientKey, Message> existing = tx.find(missing);
            Map<Place, Set<Long>> authors = new LinkedHashMap<>();
            for (Message m : inserted) {
                authors.computeIfAbsent(placeOf(m), p -> new LinkedHashSet<>()).add(m.authorId);
            }
            tx.commit();
            String[] encoded = new String[inserted.size()];
            for (int i = 0; i < encoded.length; i++) {
                encoded[i] = realtime.encode(inserted.get(i));
            }
            // last first: each channel's head is released last, so its whole batch goes out in one publish call
            for (int i = encoded.length - 1; i >= 0; i--) {
                realtime.releaseMessage(tickets.get(i), inserted.get(i).id, encoded[i]);
            }
            tickets.clear();
            authors.forEach(unread::posted);
            metrics.persisted(inserted.size());
            Map<Message, String> encodedOf = new IdentityHashMap<>();
            for (int i = 0; i < encoded.length; i++) {
                encodedOf.put(inserted.get(i), encoded[i]);
            }
            for (Request r : batch) {
                Message mine = created.get(r.key());
                boolean stored = mine != null && first.get(r.key()) == r;
                r.answer().complete(stored ? new Outcome(mine, true, encodedOf.get(mine))
                        : new Outcome(mine != null ? mine : existing.get(r.key()), false, null));
            }
        } finally {
            tickets.forEach(EventPublisher.Ticket::cancel);
        }
    }

    private static Place placeOf(Message m) {
        return m.roomId != null ? Place.room(m.roomId) : Place.conversation(m.conversationId);
    }

    private static boolean isConnectionTrouble(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getSQLState() == null || sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Sql<T> statement) {
        try {
            return statement.run();
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    /** A SQL failure inside a lambda; unwrapped by the writer. */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException cause) {
            super(cause);
        }
    }
}
