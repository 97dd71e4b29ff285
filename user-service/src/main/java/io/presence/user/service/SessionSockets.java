package io.presence.user.service;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventPublisher;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.config.UserConfig;
import io.presence.user.repository.SessionStore;
import io.presence.user.repository.SessionStore.AuthorizedSocket;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Ends login sessions everywhere: remembers which sockets each session authorized (channel subscriptions and user
 * sign-ins, signed for the built-in app), and when a session ends (logout, logout everywhere, password change,
 * account deletion, expiry) tells every gateway to close those sockets, so nobody keeps reading with an ended session.
 */
@ApplicationScoped
public class SessionSockets {

    private static final Logger LOG = Logger.getLogger(SessionSockets.class);
    /** How long ending a session waits for Redis to take the close command (it is retried meanwhile). */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    private final SessionStore store;
    private final EventPublisher publisher;
    private final AppRegistry apps;
    private final UserConfig config;

    public SessionSockets(SessionStore store, EventPublisher publisher, AppRegistry apps, UserConfig config) {
        this.store = store;
        this.publisher = publisher;
        this.apps = apps;
        this.config = config;
    }

    /**
     * Remembers that the session authorized this socket of the built-in app; call it before handing out the
     * signature. 401 when the session ended meanwhile (its end could not have closed the socket), 403 when the
     * session has authorized as many sockets as one may.
     */
    public void record(SessionService.Session session, String socketId) {
        int max = config.session().maxSockets();
        switch (store.recordSocket(session.tokenHash(), new AuthorizedSocket(apps.mainId(), socketId), max)) {
            case RECORDED -> { }
            case SESSION_GONE -> throw new ProblemException(ProblemType.UNAUTHORIZED, "log in first: no valid session");
            case AT_CAP -> throw new ProblemException(ProblemType.FORBIDDEN,
                    "this session has authorized " + max + " sockets, the most one session may: log in again");
        }
    }

    /** Ends one session and closes the sockets it authorized. */
    public void end(SessionService.Session session) {
        close(store.delete(session.tokenHash(), session.accountId()));
    }

    /** Ends every session of the account and closes the sockets they authorized. */
    public void endAll(long accountId) {
        close(store.deleteAll(accountId, null));
    }

    /** Ends every session of the account but the given one (a password change keeps its own) and closes their sockets. */
    public void endAllBut(long accountId, SessionService.Session kept) {
        close(store.deleteAll(accountId, kept.tokenHash()));
    }

    /**
     * Closes the sockets of a session that ended otherwise (it expired, found so on use or by the sweeper): one
     * command per app to every gateway; a gateway closes those it holds, the others ignore it.
     */
    public void close(List<AuthorizedSocket> sockets) {
        Map<String, List<String>> byApp = sockets.stream().collect(Collectors.groupingBy(AuthorizedSocket::appId,
                Collectors.mapping(AuthorizedSocket::socketId, Collectors.toList())));
        byApp.forEach((app, ids) -> {
            try {
                publisher.command(new ControlCommand.CloseSockets(app, ids)).await().atMost(PUBLISH_TIMEOUT);
            } catch (RuntimeException e) {
                // the session is gone already; its sockets stay open until they close by themselves
                LOG.warnf("could not tell the gateways to close %d sockets of an ended session: %s", ids.size(), e.toString());
            }
        });
    }
}
