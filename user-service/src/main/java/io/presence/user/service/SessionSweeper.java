package io.presence.user.service;

import io.presence.user.repository.SessionStore;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Ends sessions that expired unused (the sliding TTL or the absolute lifetime ran out while nobody called with them)
 * and closes the sockets they authorized, as a logout would. Every replica sweeps; ending a session is atomic, so
 * each expired session's sockets are closed once. A session is kept {@link SessionStore#GRACE} past its expiry for
 * this: if no replica runs for that long, the sockets of sessions that expired meanwhile stay open until they close.
 */
@ApplicationScoped
public class SessionSweeper {

    private static final Logger LOG = Logger.getLogger(SessionSweeper.class);
    /** Sessions looked at per round; a backlog is worked off in the next rounds. */
    private static final int PER_ROUND = 500;

    private final SessionStore store;
    private final SessionSockets sockets;

    public SessionSweeper(SessionStore store, SessionSockets sockets) {
        this.store = store;
        this.sockets = sockets;
    }

    @Scheduled(every = "${users.session.sweep-interval:15s}", concurrentExecution = ConcurrentExecution.SKIP)
    void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("session sweep failed (will retry): %s", e.toString());
        }
    }

    /** Ends the sessions due by now; answers how many were ended. */
    public int sweep() {
        int ended = 0;
        for (String session : store.dueForSweep(System.currentTimeMillis(), PER_ROUND)) {
            SessionStore.Swept swept = store.sweep(session);
            if (swept.expiresAt().isEmpty()) {
                sockets.close(swept.ended());
                ended += swept.ended().isEmpty() ? 0 : 1;
            }
        }
        return ended;
    }
}
