package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.Map;

/**
 * The reply of {@code redis/user_leave.lua}, read in this one place: {@code {connections left, watchers to tell the
 * user went offline, the transition's number (0 when none), change}} (change: -1 went offline now, 1 the last
 * connection of a hidden user, 0 neither), {@code {1, {}, 0, 2, state}} when it is the user's last connection and
 * their stored status has no decision ({@link StatusVisibility}; nothing changed).
 *
 * @param change   what the leave did to the user's presence
 * @param left     connections the user has left: 0 now offline, -1 the entry was not recorded
 * @param watchers the watchers to tell the user went offline (empty unless {@code left} is 0)
 * @param number   the offline transition's number (0 when none)
 * @param state    undecided: the stored state to decide; else empty
 */
record UserLeaveReply(Change change, long left, List<String> watchers, long number, Map<String, String> state) {

    /** What forgetting a connection did to its user's presence. */
    enum Change {
        /** Not the last connection (or an unknown one). */
        NONE,
        /** The last one: the user went offline (last seen now, watchers told). */
        OFFLINE,
        /** The last one of a hidden user: offline to others already. */
        HIDDEN,
        /** The last one, but the stored status has no decision: nothing changed. */
        UNDECIDED
    }

    static UserLeaveReply decode(Response reply) {
        long code = reply.get(3).toLong();
        if (code == 2) {
            return new UserLeaveReply(Change.UNDECIDED, 1, List.of(), 0, UserPresenceStore.toMap(reply.get(4)));
        }
        Change change = code < 0 ? Change.OFFLINE : code > 0 ? Change.HIDDEN : Change.NONE;
        return new UserLeaveReply(change, reply.get(0).toLong(), RedisCalls.strings(reply.get(1)), reply.get(2).toLong(), Map.of());
    }

    /** The decision this reply asks for, or null. */
    String undecided() {
        return change == Change.UNDECIDED ? StatusVisibility.decision(state) : null;
    }
}
