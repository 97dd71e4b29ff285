package io.presence.gateway.ws;

import io.presence.common.app.App;
import io.presence.common.event.ControlCommand;
import io.presence.gateway.events.Broker;
import io.presence.gateway.hub.Resume;
import io.presence.gateway.protocol.CloseCode;
import io.presence.gateway.resume.ResumeStore;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Resume across reconnects, for unmodified Pusher clients: a socket opened as {@code /c/<clientId>/app/<key>} is
 * resumable. Its client acknowledges what it read ({@link Receipts}); when it closes (or is drained, or a newer socket
 * of the same client takes over) the last acknowledged number per channel is recorded ({@link ResumeStore}); a new
 * socket of the same client id, on any gateway, takes the record over before it is established, and each channel it
 * subscribes to again (signed as usual: a client id grants nothing) picks up where the old one left off.
 */
@ApplicationScoped
public class Resumption {

    private static final Logger LOG = Logger.getLogger(Resumption.class);
    /** At least 128 bits in URL-safe base64 (22 characters), at most 64 characters. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");
    /** Longest wait for another gateway to record a superseded socket's positions before the new one goes on without. */
    private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Retries of a failed claim or record (a Redis hiccup, a pool full in a reconnect storm), backing off. */
    private static final int RETRIES = 4;
    private static final Duration RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(2);
    /** Longest wait on drain for the clients' receipts of what was written to them. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    private final ResumeStore store;
    private final Connections connections;
    private final Broker broker;
    private final ConnectionMetrics metrics;

    public Resumption(ResumeStore store, Connections connections, Broker broker, ConnectionMetrics metrics) {
        this.store = store;
        this.connections = connections;
        this.broker = broker;
        this.metrics = metrics;
    }

    /** True when {@code id} may be a client id. */
    static boolean isClientId(String id) {
        return id != null && CLIENT_ID.matcher(id).matches();
    }

    /** True when the app keeps positions for resumable clients (its resume window is not 0). */
    boolean enabled(App app) {
        return window(app).toSeconds() > 0;
    }

    private static Duration window(App app) {
        Integer seconds = app.limits().resumeWindowSeconds();
        return Duration.ofSeconds(seconds == null ? 0 : Math.max(0, seconds));
    }

    /** How long a record lives: twice the window, so a reconnect a little late is still told what it missed. */
    private static Duration ttl(App app) {
        return window(app).multipliedBy(2);
    }

    /**
     * A resumable socket opened: it becomes the owner of its client's record (and reads it in the same step); a
     * previous socket still open (its network cut, the server not told yet) is recorded and closed first, here or
     * through its gateway; then the record's positions are where this socket's channels pick up. When that cannot be
     * found out (Redis failed after retries, the previous socket's gateway is gone), every channel the socket
     * subscribes to is told {@code pusher:events_missed}: the client reloads instead of missing something silently.
     * Never fails.
     */
    Uni<Void> takeOver(ClientConnection connection) {
        App app = connection.app();
        String clientId = connection.clientId();
        return store.claim(app.id(), clientId, connection.socketId(), ttl(app))
                .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).atMost(RETRIES)
                .flatMap(claim -> {
                    String previous = claim.previousOwner();
                    if (previous.isEmpty() || previous.equals(claim.positions().released()) || previous.equals(connection.socketId())) {
                        load(connection, claim.positions());
                        return Uni.createFrom().voidItem();
                    }
                    metrics.resumeTakeover();
                    List<ClientConnection> local = connections.withSocketIds(app.id(), List.of(previous));
                    Uni<Void> recorded = local.isEmpty()
                            ? broker.command(new ControlCommand.ResumeTakeover(app.id(), clientId, previous))
                            : supersede(local.get(0));
                    return recorded.flatMap(done -> awaitRecorded(app.id(), clientId, previous, System.nanoTime() + TAKEOVER_WAIT.toNanos()))
                            .invoke(positions -> {
                                if (positions != null) {
                                    load(connection, positions);
                                } else {
                                    LOG.debugf("socket %s of a resumable client did not record in time (its gateway is gone?)", previous);
                                    connection.predecessorUnknown();
                                }
                            }).replaceWithVoid();
                })
                .onFailure().recoverWithItem(error -> {
                    LOG.debugf("resume record of %s not read: %s", connection.socketId(), error.toString());
                    connection.predecessorUnknown();
                    return null;
                });
    }

    private void load(ClientConnection connection, ResumeStore.Positions positions) {
        boolean expired = positions.olderThan(window(connection.app()));
        String previousSocket = positions.released().isEmpty() ? null : positions.released();
        Map<String, Resume> resumes = new HashMap<>();
        positions.channels().forEach((channel, seq) -> resumes.put(channel, new Resume(seq, previousSocket, expired)));
        connection.resumeFrom(resumes);
    }

    /** The record once {@code socketId} recorded into it, or null when it did not within the deadline. */
    private Uni<ResumeStore.Positions> awaitRecorded(String appId, String clientId, String socketId, long deadline) {
        return store.read(appId, clientId).flatMap(positions -> {
            if (positions.released().equals(socketId)) {
                return Uni.createFrom().item(positions);
            }
            if (System.nanoTime() >= deadline) {
                return Uni.createFrom().nullItem();
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).flatMap(x -> awaitRecorded(appId, clientId, socketId, deadline));
        });
    }

    /** Another gateway's socket of the client took over: if the superseded socket is here, it records and closes. */
    void takeover(ControlCommand.ResumeTakeover command) {
        for (ClientConnection c : connections.withSocketIds(command.appId(), List.of(command.socketId()))) {
            if (command.clientId().equals(c.clientId())) {
                supersede(c).subscribe().with(ok -> { }, err -> LOG.debugf("superseding %s: %s", c.socketId(), err.toString()));
            }
        }
    }

    /** Records a superseded socket's positions (or waits for the recording under way), then closes it. */
    private Uni<Void> supersede(ClientConnection old) {
        return record(old).onFailure().recoverWithNull().invoke(() -> old.close(new CloseReason(CloseCode.SUPERSEDED.code(),
                "a newer connection of this client id took over")).subscribe().with(ok -> { }, err -> { }));
    }

    /**
     * Records what a resumable socket's client acknowledged on each channel (and the previous socket's positions on
     * channels no admitted subscription took up), once: later callers get the same recording. A socket that never
     * read its client's record gives the record back unchanged. Nothing for other sockets.
     */
    Uni<Void> record(ClientConnection connection) {
        Receipts receipts = connection.receipts();
        if (receipts == null) {
            return Uni.createFrom().voidItem();
        }
        return connection.recording(() -> {
            Map<String, Long> positions = new HashMap<>();
            connection.untakenResumes().forEach((channel, resume) -> {
                if (!resume.expired()) {
                    positions.put(channel, resume.after());
                }
            });
            positions.putAll(receipts.positions());
            App app = connection.app();
            return store.record(app.id(), connection.clientId(), connection.socketId(), positions, connection.loaded(), ttl(app))
                    .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).atMost(RETRIES);
        });
    }

    /**
     * Before a drain closes the sockets: every resumable one is sent nothing more and asked for a receipt of what was
     * written to it, and once they answered (or {@link #DRAIN_WAIT} passed) their positions are recorded: a client that
     * answered resumes exactly where it stopped reading.
     */
    Uni<Void> drain(Collection<ClientConnection> all) {
        List<ClientConnection> resumable = new ArrayList<>();
        for (ClientConnection c : all) {
            if (c.receipts() != null && !c.closing()) {
                resumable.add(c);
                c.holdFrames();
                c.requestReceipt();
            }
        }
        if (resumable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return awaitReceipts(resumable, System.nanoTime() + DRAIN_WAIT.toNanos())
                .flatMap(x -> Uni.join().all(resumable.stream().map(c -> record(c).onFailure().recoverWithNull()).toList())
                        .andCollectFailures().replaceWithVoid());
    }

    private Uni<Void> awaitReceipts(List<ClientConnection> resumable, long deadline) {
        boolean waiting = resumable.stream().anyMatch(c -> c.isOpen() && c.receipts().awaiting());
        if (!waiting || System.nanoTime() >= deadline) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20)).flatMap(x -> awaitReceipts(resumable, deadline));
    }
}
