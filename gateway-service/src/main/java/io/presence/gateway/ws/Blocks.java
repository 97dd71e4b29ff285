package io.presence.gateway.ws;

import io.presence.common.presence.UserPresenceStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps blocked users from seeing the people who blocked them. user-service keeps, per user of the built-in app, the
 * set of users who blocked them in Redis and sends a {@code blocks} command when it changes; this gateway then
 * reloads that set for the user's local connections of that app (the same id in another app is another user), and each of their channels tells them only what changed for them (a new blocker
 * disappears, an unblocking user who is present and visible appears).
 */
@ApplicationScoped
public class Blocks {

    private static final Logger LOG = Logger.getLogger(Blocks.class);

    private final Connections connections;
    private final UserPresenceStore users;

    public Blocks(Connections connections, UserPresenceStore users) {
        this.connections = connections;
        this.users = users;
    }

    /** Reloads who blocked the user of an app, for every local connection that is that user. */
    void refresh(String appId, String userId) {
        if (connections.of(appId, userId).isEmpty()) {
            return;
        }
        users.blockers(appId, userId).subscribe().with(blockers -> apply(appId, userId, blockers),
                err -> LOG.warnf("reloading blocks of %s failed: %s", userId, err.toString()));
    }

    /** Reloads every local user's blockers (after a bus outage, a change may have been missed). */
    void refreshAll() {
        connections.all().stream().flatMap(c -> c.identities().stream().map(user -> List.of(c.app().id(), user))).distinct()
                .forEach(appAndUser -> refresh(appAndUser.get(0), appAndUser.get(1)));
    }

    private void apply(String appId, String userId, Set<String> blockers) {
        for (ClientConnection c : connections.of(appId, userId)) {
            c.setBlockers(userId, blockers);
            Watchlist watchlist = c.watchlist();
            if (watchlist != null && userId.equals(c.signedInUserId())) {
                watchlist.hiddenBy(blockers);
            }
            c.subscriptions().forEach((channel, s) -> {
                if (userId.equals(c.identity(channel))) {
                    s.channel().viewerChanged(c, blockers);
                }
            });
        }
    }
}
