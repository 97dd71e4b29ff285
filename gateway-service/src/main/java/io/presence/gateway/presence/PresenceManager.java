package io.presence.gateway.presence;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Who is in which presence channel, per user: a user with several connections is one member, announced on
 * their first connection and removed after their last. Implementations decide "first" and "last" atomically.
 * Every call is asynchronous, so the gateway's event loop never waits on a store.
 */
public interface PresenceManager {

    /**
     * Outcome of a join: whether it was the user's first connection, the visible members right after it, and the
     * member as stored (its user_info carries the user's stored status, which may be invisible).
     */
    record Join(boolean firstConnectionOfUser, List<Member> members, Member member) {
    }

    /** Outcome of a leave: the user, whether it was their last connection to the channel, and if others saw them. */
    record Leave(String userId, boolean lastConnectionOfUser, boolean wasVisible) {
    }

    /** The failure of a join that would take a new user past the channel's member cap. */
    final class ChannelFull extends RuntimeException {
        public ChannelFull(String channel, int cap) {
            super("presence channel " + channel + " is full (" + cap + " members)", null, false, false);
        }
    }

    /** Adds one connection of a member (a user already present keeps their first user_info); fails with {@link ChannelFull}. */
    Uni<Join> join(String appId, String channel, String connectionId, Member member, int cap);

    /** Removes one connection; empty when that connection was not in the channel. */
    Uni<Optional<Leave>> leave(String appId, String channel, String connectionId);

    /** The members of a channel others may see (invisible ones left out), one per user. */
    Uni<List<Member>> members(String appId, String channel);

    /** Distinct visible users in the channel. */
    Uni<Integer> userCount(String appId, String channel);
}
