package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.store.MemberState;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in which presence channel, with which status: join, leave, status updates, the member list and reaping a
 * dead gateway's connections, each change announced with its channel's next sequence number. {@link ChannelPresence}
 * keeps it in Redis (shared by every gateway and presence-service, with webhooks and watchlists);
 * {@link MemoryPresenceStore} keeps it in one process. Both pass {@code PresenceStoreContract}.
 */
public interface PresenceStore {

    /** How a join went. */
    enum Outcome {
        /** The user's first connection: announced. */
        FIRST,
        /** The user was already present (another tab), or this connection had joined already: nothing announced. */
        AGAIN,
        /** The channel has its maximum number of users: nothing recorded. */
        FULL
    }

    /**
     * Outcome of a join.
     *
     * @param seq      the sequence number a subscriber must have seen for the channel to include this join
     * @param member   the member as stored (status from the store, user_info as given)
     * @param blockers the users who blocked this user
     */
    record Joined(Outcome outcome, long seq, MemberState member, Set<String> blockers) {
    }

    /** Outcome of a leave that found the connection: the user, whether it was their last connection here, and its event. */
    record Left(String userId, boolean last, long seq) {
    }

    /**
     * A channel as of one sequence number.
     *
     * @param members  every member, invisible ones included (empty unless asked for)
     * @param events   stored (durable) events after the number asked about, oldest first
     * @param complete false when some stored events after that number are no longer kept
     * @param stores   true when the channel has stored events at all
     * @param cached   a cache channel's last stored event (kept 30 minutes), or null
     */
    record ChannelState(long seq, Map<String, MemberState> members, List<Event> events, boolean complete, boolean stores,
                        ChannelEvent cached) {

        /** The members others may see (invisible ones left out), in store order. */
        public Map<String, MemberState> visibleMembers() {
            Map<String, MemberState> visible = new LinkedHashMap<>();
            members.forEach((user, state) -> {
                if (PresenceDiff.Viewer.WORLD.sees(user, state)) {
                    visible.put(user, state);
                }
            });
            return visible;
        }
    }

    /**
     * Joins one connection of a gateway node to a presence channel as a user, at most {@code cap} users. With
     * {@code known} (the member's status as the caller last saw it) the store may skip reading the user's status; a
     * status that changed in between is put right in the channel before this answers.
     */
    Uni<Joined> join(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                     MemberState known, int cap);

    /**
     * Joins a connection this gateway held all along again, after its node lost its lease, with the member as the node
     * last knew it. The world is told the member is back only if a reaper had announced them gone.
     */
    Uni<Joined> rejoin(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                       MemberState known);

    /** Removes one connection of a gateway node from a presence channel. Empty when the connection was not in the channel. */
    Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId);

    /**
     * Stores the status of a user of an app and announces it in every presence channel of the app they are in (a
     * channel with a newer one keeps it). With {@code onlyIfExpiresAt} nothing happens unless the stored expiry still
     * has that value. Answers the number of channels told, or -1 when nothing changed.
     */
    Uni<Integer> setStatus(String appId, String userId, UserStatus next, Long onlyIfExpiresAt);

    /**
     * The channel as of its current sequence number: its members when {@code withMembers}, and the stored events after
     * {@code after} when given.
     */
    Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after);

    /** The members of a channel others may see, with their user_info (status included). */
    Uni<Map<String, MemberState>> visibleMembers(String appId, String channel);

    /** How many members of a channel others may see. */
    default Uni<Integer> memberCount(String appId, String channel) {
        return visibleMembers(appId, channel).map(Map::size);
    }

    /**
     * Removes every presence connection a gateway node recorded (the node is dead), announcing each member left
     * without a connection; answers how many members left a channel.
     */
    Uni<Integer> reap(String node);
}
