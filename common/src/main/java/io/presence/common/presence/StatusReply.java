package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.presence.common.store.UserStatus;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reply of {@code redis/status.lua}, read in this one place: {@code {version, previous status as stored,
 * {connection entries}, change, {watchers to tell}, the transition's number, previous expiresAt}} (change: 1 a
 * connected user became seen, -1 hidden, 0 neither), {@code {}} when the expected expiry did not match (nothing
 * changed), {@code {0, '', {}, 2, {}, 0, 0, previous state}} when the stored status has no decision
 * ({@link StatusVisibility}; nothing changed).
 *
 * @param change      what the change did to the user's presence for watchers
 * @param version     the stored status's version
 * @param previous    the previous status as stored (without its text; the default when there was none)
 * @param connections the user's presence connection entries ({@link io.presence.common.store.PresenceSchema#nodeEntry})
 * @param watchers    the watchers to tell
 * @param number      the transition's number
 * @param state       undecided: the stored state to decide; else empty
 */
record StatusReply(Change change, long version, UserStatus previous, List<String> connections, List<String> watchers, long number,
                   Map<String, String> state) {

    /** What a stored status did for the user's watchers. */
    enum Change {
        /** Nothing: not connected, or hidden (or seen) before and after. */
        NONE,
        /** A connected user became seen: online for watchers. */
        APPEARED,
        /** A connected user became hidden: offline for watchers. */
        VANISHED,
        /** The stored status has no decision: nothing changed. */
        UNDECIDED
    }

    /** Empty when nothing changed because the expected expiry did not match. */
    static Optional<StatusReply> decode(Response reply) {
        if (reply == null || reply.size() == 0) {
            return Optional.empty();
        }
        long code = reply.get(3).toLong();
        if (code == 2) {
            return Optional.of(new StatusReply(Change.UNDECIDED, 0, UserStatus.DEFAULT, List.of(), List.of(), 0,
                    UserPresenceStore.toMap(reply.get(7))));
        }
        Change change = code > 0 ? Change.APPEARED : code < 0 ? Change.VANISHED : Change.NONE;
        UserStatus previous = UserStatus.fromState(Map.of("status", reply.get(1).toString(), "expiresAt", reply.get(6).toString()));
        return Optional.of(new StatusReply(change, reply.get(0).toLong(), previous, RedisCalls.strings(reply.get(2)),
                RedisCalls.strings(reply.get(4)), reply.get(5).toLong(), Map.of()));
    }

    /** The decision a reply asks for, or null. */
    static String undecided(Optional<StatusReply> reply) {
        return reply.filter(r -> r.change == Change.UNDECIDED).map(r -> StatusVisibility.decision(r.state)).orElse(null);
    }
}
