package io.presence.gateway.ws;

import io.presence.common.presence.BusMessage;
import io.presence.common.presence.UserPresenceStore;
import io.presence.gateway.presence.Member;
import io.presence.gateway.presence.PresenceManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps blocked users from seeing the people who blocked them. user-service keeps, per user, the set of users
 * who blocked them in Redis and sends {@code blocks NUL user} on the control channel when it changes; this
 * gateway then reloads that set for the user's local connections and makes their member lists agree: a new
 * blocker is removed from sight, an unblocking user who is present (and visible) is added back.
 */
@ApplicationScoped
public class Blocks {

    private static final Logger LOG = Logger.getLogger(Blocks.class);

    private final Hub hub;
    private final UserPresenceStore users;
    private final PresenceManager presence;
    private final Frames frames;

    public Blocks(Hub hub, UserPresenceStore users, PresenceManager presence, Frames frames) {
        this.hub = hub;
        this.users = users;
        this.presence = presence;
        this.frames = frames;
    }

    /** Reloads who blocked the user, for every local connection present as that user. */
    void refresh(String userId) {
        for (ClientConnection c : hub.all()) {
            if (!c.presenceUsers().contains(userId)) {
                continue;
            }
            users.blockers(userId).subscribe().with(blockers -> apply(c, blockers),
                    err -> LOG.warnf("reloading blocks of %s failed: %s", userId, err.toString()));
        }
    }

    private void apply(ClientConnection connection, Set<String> blockers) {
        Set<String> before = connection.hidden();
        connection.hide(blockers);
        for (String channel : connection.channels()) {
            if (connection.presenceMember(channel) == null) {
                continue;
            }
            for (String blocker : blockers) {
                if (!before.contains(blocker)) {
                    connection.deliver(channel, frames.memberRemoved(channel, blocker));
                }
            }
            Set<String> unblocked = new HashSet<>(before);
            unblocked.removeAll(blockers);
            if (!unblocked.isEmpty()) {
                reveal(connection, channel, unblocked);
            }
        }
    }

    private void reveal(ClientConnection connection, String channel, Set<String> unblocked) {
        Uni<List<Member>> members = presence.members(connection.app().id(), channel);
        members.subscribe().with(list -> {
            for (Member m : list) {
                if (unblocked.contains(m.userId())) {
                    connection.deliver(channel, frames.memberAdded(channel, m));
                }
            }
        }, err -> LOG.warnf("reloading members of %s failed: %s", channel, err.toString()));
    }
}
