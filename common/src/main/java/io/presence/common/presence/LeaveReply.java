package io.presence.common.presence;

import io.vertx.mutiny.redis.client.Response;
import java.util.Optional;

/**
 * The reply of {@code redis/leave.lua}, read in this one place: {@code {}} when the connection was not in the channel,
 * {@code {user id, 0}} when the user still has a connection there, {@code {user id, 1, seq, seen, at}} when it was
 * their last, {@code {user id, 2, status JSON}} when it was their last but their status has no decision
 * ({@link StatusVisibility}; nothing changed).
 *
 * @param change     what the leave did
 * @param userId     the user whose connection left
 * @param seq        the departure's sequence number; 0 unless {@link #last}
 * @param at         when the departure was decided (server clock, microseconds); 0 unless {@link #last}
 * @param statusJson undecided: the status to decide; else empty
 */
record LeaveReply(Change change, String userId, long seq, long at, String statusJson) {

    /** What a leave that found its connection did. */
    enum Change {
        /** The user still has a connection in the channel. */
        STAYS,
        /** Their last connection: the departure was announced; the world did not see the member. */
        LAST_UNSEEN,
        /** Their last connection, and the world saw the member: a member_removed webhook is due. */
        LAST_SEEN,
        /** Their last connection, but their status has no decision: nothing changed. */
        UNDECIDED
    }

    /** Empty when the connection was not in the channel. */
    static Optional<LeaveReply> decode(Response reply) {
        if (reply == null || reply.size() < 2) {
            return Optional.empty();
        }
        String userId = reply.get(0).toString();
        long code = reply.get(1).toLong();
        if (code == 0) {
            return Optional.of(new LeaveReply(Change.STAYS, userId, 0, 0, ""));
        }
        if (code == 2) {
            return Optional.of(new LeaveReply(Change.UNDECIDED, userId, 0, 0, reply.get(2).toString()));
        }
        boolean seen = reply.get(3).toLong() == 1;
        return Optional.of(new LeaveReply(seen ? Change.LAST_SEEN : Change.LAST_UNSEEN, userId, reply.get(2).toLong(),
                reply.get(4).toLong(), ""));
    }

    /** True when it was the user's last connection in the channel (their departure was announced as {@link #seq}). */
    boolean last() {
        return change == Change.LAST_SEEN || change == Change.LAST_UNSEEN;
    }

    /** True when the world had seen the member: a member_removed webhook is due. */
    boolean seen() {
        return change == Change.LAST_SEEN;
    }

    /** The decision a reply asks for, or null. */
    static String undecided(Optional<LeaveReply> reply) {
        return reply.filter(r -> r.change == Change.UNDECIDED).map(r -> StatusVisibility.decision(r.statusJson)).orElse(null);
    }
}
