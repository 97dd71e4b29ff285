package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.Map;

/**
 * The reply of {@code redis/user_join.lua}, read in this one place: {@code {state hash as a flat field/value list,
 * blockers, watchers to tell the user came online (else empty), the transition's number (0 when none), change}}
 * (change: 1 the user's first connection anywhere and seen, -1 first but hidden, 0 not the first, 2 undecided: the
 * stored status has no decision ({@link StatusVisibility}; nothing changed)).
 *
 * @param change   what the connection did to the user's presence
 * @param state    the user's stored state (status fields and version {@code v})
 * @param blockers the users who blocked this user
 * @param watchers the watchers to tell the user came online (empty when they were online already)
 * @param number   the online transition's number (0 when none)
 */
record UserJoinReply(Change change, Map<String, String> state, List<String> blockers, List<String> watchers, long number) {

    /** What a connection did to its user's presence. */
    enum Change {
        /** Not the user's first connection. */
        AGAIN,
        /** Their first connection anywhere, and seen: online. */
        ONLINE,
        /** Their first connection anywhere, but hidden: offline to others still. */
        HIDDEN,
        /** Their first, but the stored status has no decision: nothing changed. */
        UNDECIDED
    }

    static UserJoinReply decode(Response reply) {
        long code = reply.get(4).toLong();
        Change change = code == 2 ? Change.UNDECIDED : code > 0 ? Change.ONLINE : code < 0 ? Change.HIDDEN : Change.AGAIN;
        return new UserJoinReply(change, UserPresenceStore.toMap(reply.get(0)), RedisCalls.strings(reply.get(1)),
                RedisCalls.strings(reply.get(2)), reply.get(3).toLong());
    }

    /** The decision this reply asks for, or null. */
    String undecided() {
        return change == Change.UNDECIDED ? StatusVisibility.decision(state) : null;
    }
}
