package io.presence.gateway.presence;

import java.util.List;
import java.util.Optional;

/**
 * Who is in which presence channel, per user: a user with several connections is one member, announced on
 * their first connection and removed after their last. Implementations decide "first" and "last" atomically.
 */
public interface PresenceManager {

    /** Outcome of a join: whether it was the user's first connection, and the members right after it. */
    record Join(boolean firstConnectionOfUser, List<Member> members) {
    }

    /** Outcome of a leave: the user, and whether it was their last connection to the channel. */
    record Leave(String userId, boolean lastConnectionOfUser) {
    }

    /** Raised when a new user would exceed the channel's member cap. */
    final class ChannelFull extends Exception {
        public ChannelFull(String channel, int cap) {
            super("presence channel " + channel + " is full (" + cap + " members)", null, false, false);
        }
    }

    /**
     * Adds one connection of a member. A user already present keeps their first user_info.
     *
     * @throws ChannelFull when the member is new and the channel already has {@code cap} members
     */
    Join join(String channel, String connectionId, Member member, int cap) throws ChannelFull;

    /** Removes one connection; empty when that connection was not in the channel. */
    Optional<Leave> leave(String channel, String connectionId);

    /** The members of a channel, one per user. */
    List<Member> members(String channel);

    /** Distinct users in the channel. */
    int userCount(String channel);
}
