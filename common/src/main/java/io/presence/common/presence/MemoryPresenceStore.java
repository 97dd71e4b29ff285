package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.MemberEvent;
import io.presence.common.store.MemberState;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link PresenceStore} of a single process, without Redis: every change is decided and numbered under one lock,
 * and announced through a {@link MemberAnnouncer} after the lock is let go, before it answers. A user's status and its version are kept per app and put in
 * every channel of theirs; a channel only takes a newer version. Webhooks, watchlists and blocks are Redis features
 * ({@link ChannelPresence}): nobody here is blocked, and no channel stores events.
 */
public final class MemoryPresenceStore implements PresenceStore {

    /** One connection as its node recorded it, for the reaper. */
    private record NodeEntry(String appId, String channel, String connectionId) {
    }

    /** A user's status as stored for their app, with its version. */
    private record Stored(UserStatus status, long version) {
    }

    /** One presence channel: connection to user, connections per user, and members in the order they came. */
    private static final class Channel {
        final Map<String, String> connections = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        final Map<String, MemberState> members = new LinkedHashMap<>();
    }

    private final MemberAnnouncer announcer;
    /** All guarded by {@code this}: channels by app and name, users' statuses by app and id, connections by node. */
    private final Map<List<String>, Channel> channels = new HashMap<>();
    private final Map<List<String>, Stored> statuses = new HashMap<>();
    private final Map<String, Set<NodeEntry>> nodes = new HashMap<>();

    /** @param announcer where the member events go, numbered per channel */
    public MemoryPresenceStore(MemberAnnouncer announcer) {
        this.announcer = announcer;
    }

    @Override
    public Uni<Joined> join(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                            MemberState known, int cap) {
        return decided(() -> joinNow(appId, channel, node, connectionId, userId, info, known, cap));
    }

    /** Runs a decision (which takes the lock) when subscribed, then hands on what it announced. */
    private <T> Uni<T> decided(Supplier<T> decision) {
        return Uni.createFrom().item(() -> {
            T result = decision.get();
            announcer.deliver();
            return result;
        });
    }

    @Override
    public Uni<Joined> rejoin(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                              MemberState known) {
        return join(appId, channel, node, connectionId, userId, info, known, Integer.MAX_VALUE);
    }

    private synchronized Joined joinNow(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                                        MemberState known, int cap) {
        Channel c = channels.computeIfAbsent(List.of(appId, channel), k -> new Channel());
        String already = c.connections.get(connectionId);
        if (already != null) {
            return new Joined(Outcome.AGAIN, announcer.current(appId, channel), c.members.get(already), Set.of());
        }
        boolean present = c.counts.containsKey(userId);
        if (!present && c.counts.size() >= cap) {
            if (c.counts.isEmpty()) {
                channels.remove(List.of(appId, channel));
            }
            return new Joined(Outcome.FULL, 0, null, Set.of());
        }
        c.connections.put(connectionId, userId);
        c.counts.merge(userId, 1, Integer::sum);
        nodes.computeIfAbsent(node, n -> new LinkedHashSet<>()).add(new NodeEntry(appId, channel, connectionId));
        if (present) {
            return new Joined(Outcome.AGAIN, announcer.current(appId, channel), c.members.get(userId), Set.of());
        }
        Stored status = statusOnJoin(appId, userId, info, known);
        MemberState member = new MemberState(info, status.status(), status.version());
        c.members.put(userId, member);
        long seq = announcer.announce(appId, channel, new MemberEvent(0, userId, member));
        return new Joined(Outcome.FIRST, seq, member, Set.of());
    }

    /** The newer of the user's stored status and the one the joiner knew (or its user_info suggests), which is kept. */
    private Stored statusOnJoin(String appId, String userId, JsonNode info, MemberState known) {
        Stored offered = known != null ? new Stored(known.status(), known.version()) : new Stored(UserStatus.suggestedBy(info), 0);
        Stored stored = statuses.get(List.of(appId, userId));
        if (stored != null && stored.version() >= offered.version()) {
            return stored;
        }
        statuses.put(List.of(appId, userId), offered);
        return offered;
    }

    @Override
    public Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId) {
        return decided(() -> leaveNow(appId, channel, node, connectionId));
    }

    private synchronized Optional<Left> leaveNow(String appId, String channel, String node, String connectionId) {
        Set<NodeEntry> onNode = nodes.get(node);
        if (onNode != null) {
            onNode.remove(new NodeEntry(appId, channel, connectionId));
        }
        Channel c = channels.get(List.of(appId, channel));
        String userId = c == null ? null : c.connections.remove(connectionId);
        if (userId == null) {
            return Optional.empty();
        }
        if (c.counts.merge(userId, -1, Integer::sum) > 0) {
            return Optional.of(new Left(userId, false, 0));
        }
        c.counts.remove(userId);
        c.members.remove(userId);
        if (c.counts.isEmpty()) {
            channels.remove(List.of(appId, channel));
        }
        return Optional.of(new Left(userId, true, announcer.announce(appId, channel, new MemberEvent(0, userId, null))));
    }

    @Override
    public Uni<Integer> setStatus(String appId, String userId, UserStatus next, Long onlyIfExpiresAt) {
        return decided(() -> setStatusNow(appId, userId, next, onlyIfExpiresAt));
    }

    private synchronized int setStatusNow(String appId, String userId, UserStatus next, Long onlyIfExpiresAt) {
        Stored previous = statuses.get(List.of(appId, userId));
        if (onlyIfExpiresAt != null && (previous == null ? 0 : previous.status().expiresAt()) != onlyIfExpiresAt) {
            return -1;
        }
        long version = Math.max(System.currentTimeMillis(), (previous == null ? 0 : previous.version()) + 1);
        statuses.put(List.of(appId, userId), new Stored(next, version));
        int told = 0;
        for (Map.Entry<List<String>, Channel> entry : channels.entrySet()) {
            MemberState member = entry.getValue().members.get(userId);
            if (entry.getKey().get(0).equals(appId) && member != null && member.version() < version) {
                MemberState updated = member.withStatus(next, version);
                entry.getValue().members.put(userId, updated);
                announcer.announce(appId, entry.getKey().get(1), new MemberEvent(0, userId, updated));
                told++;
            }
        }
        return told;
    }

    @Override
    public Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after) {
        return decided(() -> stateNow(appId, channel, withMembers));
    }

    private synchronized ChannelState stateNow(String appId, String channel, boolean withMembers) {
        Channel c = channels.get(List.of(appId, channel));
        Map<String, MemberState> members = withMembers && c != null ? new LinkedHashMap<>(c.members) : Map.of();
        return new ChannelState(announcer.current(appId, channel), members, List.of(), true, false, null);
    }

    @Override
    public Uni<Map<String, MemberState>> visibleMembers(String appId, String channel) {
        return state(appId, channel, true, null).map(ChannelState::visibleMembers);
    }

    @Override
    public Uni<Integer> reap(String node) {
        return decided(() -> reapNow(node));
    }

    private synchronized int reapNow(String node) {
        Set<NodeEntry> entries = nodes.remove(node);
        int removed = 0;
        for (NodeEntry entry : entries == null ? Set.<NodeEntry>of() : entries) {
            if (leaveNow(entry.appId(), entry.channel(), node, entry.connectionId()).filter(Left::last).isPresent()) {
                removed++;
            }
        }
        return removed;
    }
}
