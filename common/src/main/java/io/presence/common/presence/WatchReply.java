package io.presence.common.presence;

import io.vertx.mutiny.redis.client.Response;
import java.util.Map;

/**
 * The reply of {@code redis/watch.lua}, read in this one place: {@code {1 when online else 0, number of the last
 * transition}}, {@code {2, 0, state}} when the user is connected and their stored status has no decision
 * ({@link StatusVisibility}; nothing changed).
 *
 * @param change what the watcher is told
 * @param number the number of the user's last transition
 * @param state  undecided: the stored state to decide; else empty
 */
record WatchReply(Change change, long number, Map<String, String> state) {

    /** The watched user's state for the new watcher. */
    enum Change { OFFLINE, ONLINE, UNDECIDED }

    static WatchReply decode(Response reply) {
        long code = reply.get(0).toLong();
        if (code == 2) {
            return new WatchReply(Change.UNDECIDED, 0, UserPresenceStore.toMap(reply.get(2)));
        }
        return new WatchReply(code == 1 ? Change.ONLINE : Change.OFFLINE, reply.get(1).toLong(), Map.of());
    }

    /** The decision this reply asks for, or null. */
    String undecided() {
        return change == Change.UNDECIDED ? StatusVisibility.decision(state) : null;
    }
}
