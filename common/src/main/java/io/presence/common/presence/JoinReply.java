package io.presence.common.presence;

import io.presence.common.webhook.Webhook.Transition;
import io.vertx.mutiny.redis.client.Response;

/**
 * The reply of {@code redis/join.lua}, read in this one place: {@code {1, seq, status JSON, seen, at, follows}} for the
 * user's first connection, {@code {0, seq, status JSON, 0}} when the user was already present (or the connection had
 * joined), {@code {-1}} when the channel is full, {@code {2, 0, status JSON}} when the pending status the join would
 * take has no decision ({@link StatusVisibility}; nothing changed).
 *
 * @param change     what the join did
 * @param seq        the number the join was announced with (or the channel's current one); 0 when full or undecided
 * @param statusJson the member's status as stored (undecided: the status to decide); empty when full
 * @param seenAt     when the member appeared to the world (at) and the departure it follows: a member_added webhook is
 *                   due; null when the world does not see the member now
 */
record JoinReply(Change change, long seq, String statusJson, Transition seenAt) {

    /** What a join did. */
    enum Change {
        /** The user's first connection here: announced. */
        FIRST,
        /** The user was already present, or the connection had joined: nothing announced. */
        AGAIN,
        /** The channel is full: nothing recorded. */
        FULL,
        /** The pending status has no decision: nothing changed. */
        UNDECIDED
    }

    static JoinReply decode(Response reply) {
        long code = reply.get(0).toLong();
        if (code < 0) {
            return new JoinReply(Change.FULL, 0, "", null);
        }
        if (code == 2) {
            return new JoinReply(Change.UNDECIDED, 0, reply.get(2).toString(), null);
        }
        boolean seen = reply.get(3).toLong() == 1;
        return new JoinReply(code == 1 ? Change.FIRST : Change.AGAIN, reply.get(1).toLong(), reply.get(2).toString(),
                seen ? new Transition(reply.get(4).toLong(), reply.get(5).toLong()) : null);
    }

    /** True when the world now sees the member: a member_added webhook is due. */
    boolean seen() {
        return seenAt != null;
    }

    /** The decision this reply asks for, or null. */
    String undecided() {
        return change == Change.UNDECIDED ? StatusVisibility.decision(statusJson) : null;
    }
}
