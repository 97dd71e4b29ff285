package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.Event;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventsConfig;
import io.presence.common.presence.PresenceSchema.ChannelKeys;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.Webhook.Transition;
import io.presence.common.webhook.WebhookQueue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The one owner of presence in channels (layout in {@link PresenceSchema}): join, leave, status updates, the member
 * list, and reaping a dead gateway's connections; used by the gateways and presence-service alike. Each change is
 * one script that decides it (first connection, last connection, newer status) and announces it with the channel's
 * next sequence number in the same step, so a change and its event can never part. What each subscriber sees of a
 * change is decided in one place too: {@link PresenceDiff}.
 */
@ApplicationScoped
public class ChannelPresence {

    private static final Logger LOG = Logger.getLogger(ChannelPresence.class);

    private static final RedisScript JOIN = RedisScript.load("join.lua");
    private static final RedisScript LEAVE = RedisScript.load("leave.lua");
    private static final RedisScript MEMBER_STATUS = RedisScript.load("member_status.lua");
    private static final RedisScript CHANNEL_STATE = RedisScript.load("channel_state.lua");
    /** How long a status change waits in a channel for a join that is still on its way. */
    private static final String PENDING_TTL_MS = "60000";
    private static final int REAP_CONCURRENCY = 64;

    /** How a join went. */
    public enum Outcome {
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
    public record Joined(Outcome outcome, long seq, MemberState member, Set<String> blockers) {
    }

    /** Outcome of a leave that found the connection: the user, whether it was their last connection here, and its event. */
    public record Left(String userId, boolean last, long seq) {
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
    public record ChannelState(long seq, Map<String, MemberState> members, List<Event> events, boolean complete, boolean stores,
                               ChannelEvent cached) {

        /** The members others may see (invisible ones left out), in store order. */
        public Map<String, MemberState> visibleMembers() {
            Map<String, MemberState> visible = new LinkedHashMap<>();
            members.forEach((user, state) -> {
                if (!state.invisible()) {
                    visible.put(user, state);
                }
            });
            return visible;
        }
    }

    private final Redis redis;
    /** The scripts that announce what they decide, in the configured pub/sub flavour. */
    private final RedisScript joinScript;
    private final RedisScript leaveScript;
    private final RedisScript statusScript;
    private final PresenceSchema schema;
    private final UserPresenceStore users;
    private final WebhookQueue webhooks;
    private final String ttl;
    private final String window;

    public ChannelPresence(Redis redis, PresenceStoreConfig store, EventsConfig events, UserPresenceStore users, WebhookQueue webhooks) {
        this.redis = redis;
        this.joinScript = JOIN.sharded(events.sharded());
        this.leaveScript = LEAVE.sharded(events.sharded());
        this.statusScript = MEMBER_STATUS.sharded(events.sharded());
        this.schema = store.schema();
        this.users = users;
        this.webhooks = webhooks;
        this.ttl = Long.toString(events.sequenceTtl().toMillis());
        this.window = Integer.toString(events.replayWindow());
    }

    /**
     * Joins one connection of a gateway node to a presence channel as a user: recorded on the node (for the reaper),
     * on the user (online, last seen, status announcements) and in the channel. With {@code known} (the member's
     * status as the caller last saw it) all three go out at once, one round trip; without it the user's status is
     * read first. A status that changed in between is put right in the channel before this answers.
     */
    public Uni<Joined> join(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                            MemberState known, int cap) {
        return join(appId, channel, node, connectionId, userId, info, known, cap, false);
    }

    /**
     * Joins a connection this gateway held all along again, after its node lost its lease (Redis lost its data, or the
     * node stalled and was reaped), with the member as the node last knew it. The world is told the member is back
     * only if a reaper had announced them gone.
     */
    public Uni<Joined> rejoin(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                              MemberState known) {
        return join(appId, channel, node, connectionId, userId, info, known, Integer.MAX_VALUE, true);
    }

    private Uni<Joined> join(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                             MemberState known, int cap, boolean restore) {
        ChannelKeys keys = schema.channel(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        Uni<Response> onNode = RedisCalls.send(redis, Command.SADD, schema.nodeConnections(node), entry);
        UserStatus initial = known != null ? known.status() : UserStatus.suggestedBy(info);
        Uni<UserPresenceStore.Joining> user = users.connect(userId, entry, initial, known != null ? known.version() : 0);
        Uni<Joined> joined;
        if (known == null) {
            joined = Uni.combine().all().unis(onNode, user).asTuple().chain(t -> {
                UserPresenceStore.Joining u = t.getItem2();
                return runJoin(keys, connectionId, userId, info, new MemberState(info, u.status(), u.version()), cap, restore)
                        .chain(reply -> settle(appId, channel, userId, info, reply, u));
            });
        } else {
            Uni<Response> script = runJoin(keys, connectionId, userId, info, known, cap, restore);
            joined = Uni.combine().all().unis(onNode, user, script).asTuple()
                    .chain(t -> settle(appId, channel, userId, info, t.getItem3(), t.getItem2()));
        }
        return joined.call(j -> j.outcome() == Outcome.FULL
                ? RedisCalls.send(redis, Command.SREM, schema.nodeConnections(node), entry).chain(() -> users.disconnect(userId, entry))
                : Uni.createFrom().voidItem());
    }

    private Uni<Response> runJoin(ChannelKeys keys, String connectionId, String userId, JsonNode info, MemberState status, int cap,
                                  boolean restore) {
        return joinScript.run(redis, List.of(keys.conns(), keys.users(), keys.info(), keys.status(), keys.pending(), keys.seq(), keys.departed(),
                        keys.departures()),
                List.of(connectionId, userId, info.toString(), EventCodec.statusJson(status.status(), status.version()),
                        Integer.toString(cap), keys.bus(), ttl, restore ? "1" : "0", webhooks.departureMemory()));
    }

    /**
     * Reads the join script's answer (queueing member_added when the world now sees the user); brings the channel's
     * status up to date if the user's changed meanwhile.
     */
    private Uni<Joined> settle(String appId, String channel, String userId, JsonNode info, Response reply,
                               UserPresenceStore.Joining user) {
        long code = reply.get(0).toLong();
        if (code < 0) {
            return Uni.createFrom().item(new Joined(Outcome.FULL, 0, null, user.blockers()));
        }
        Outcome outcome = code == 1 ? Outcome.FIRST : Outcome.AGAIN;
        long seq = reply.get(1).toLong();
        MemberState stored = EventCodec.memberState(info.toString(), reply.get(2).toString());
        if (reply.get(3).toLong() == 1) {
            webhooks.send(Webhook.memberAdded(appId, channel, userId, new Transition(reply.get(4).toLong(), reply.get(5).toLong())));
        }
        if (user.version() <= stored.version()) {
            return Uni.createFrom().item(new Joined(outcome, seq, stored, user.blockers()));
        }
        MemberState current = stored.withStatus(user.status(), user.version());
        return updateStatus(appId, channel, userId, EventCodec.statusJson(user.status(), user.version()))
                .map(updateSeq -> new Joined(outcome, Math.max(seq, updateSeq), current, user.blockers()));
    }

    /**
     * Removes one connection of a gateway node from a presence channel; the user, when known, is updated in the same
     * round trip. Empty when the connection was not in the channel.
     */
    public Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId) {
        return leave(appId, channel, node, connectionId, userId, false);
    }

    private Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId, boolean reaped) {
        ChannelKeys keys = schema.channel(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        Uni<Optional<Left>> left = leaveScript.run(redis, List.of(keys.conns(), keys.users(), keys.info(), keys.status(), keys.seq(), keys.departed(),
                        keys.departures()),
                List.of(connectionId, keys.bus(), ttl, reaped ? "1" : "0", webhooks.departureMemory())).map(reply -> {
                    if (reply != null && reply.size() > 3 && reply.get(3).toLong() == 1) {
                        webhooks.send(Webhook.memberRemoved(appId, channel, reply.get(0).toString(), new Transition(reply.get(4).toLong(), 0)));
                    }
                    return toLeft(reply);
                });
        Uni<Response> offNode = RedisCalls.send(redis, Command.SREM, schema.nodeConnections(node), entry);
        if (userId != null) {
            return Uni.combine().all().unis(left, offNode, users.disconnect(userId, entry)).asTuple().map(t -> t.getItem1());
        }
        return Uni.combine().all().unis(left, offNode).asTuple().map(t -> t.getItem1())
                .call(l -> l.isPresent() ? users.disconnect(l.get().userId(), entry) : Uni.createFrom().voidItem());
    }

    private static Optional<Left> toLeft(Response reply) {
        if (reply == null || reply.size() < 2) {
            return Optional.empty();
        }
        boolean last = reply.get(1).toLong() == 1;
        return Optional.of(new Left(reply.get(0).toString(), last, last ? reply.get(2).toLong() : 0));
    }

    /**
     * Stores a user's status and announces it in every presence channel they are in (a channel with a newer one
     * keeps it). With {@code onlyIfExpiresAt} nothing happens unless the stored expiry still has that value.
     * Answers the number of channels told, or -1 when nothing changed.
     */
    public Uni<Integer> setStatus(String userId, UserStatus next, Long onlyIfExpiresAt) {
        return users.store(userId, next, onlyIfExpiresAt).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().item(-1);
            }
            if (stored.channels().isEmpty()) {
                return Uni.createFrom().item(0);
            }
            String status = EventCodec.statusJson(next, stored.version());
            List<Uni<Long>> updates = new ArrayList<>();
            for (List<String> appAndChannel : stored.channels()) {
                updates.add(updateStatus(appAndChannel.get(0), appAndChannel.get(1), userId, status));
            }
            return Uni.join().all(updates).andCollectFailures()
                    .map(results -> (int) results.stream().filter(seq -> seq > 0).count());
        });
    }

    /**
     * Puts a status into one channel; answers the sequence number it was announced with (0: the channel has it or a
     * newer one, or the user is not in it yet and it waits for their join), queueing member_added / member_removed
     * when the change makes the user appear to or vanish from the world.
     */
    private Uni<Long> updateStatus(String appId, String channel, String userId, String statusJson) {
        ChannelKeys keys = schema.channel(appId, channel);
        return statusScript.run(redis, List.of(keys.users(), keys.info(), keys.status(), keys.pending(), keys.seq(), keys.departures()),
                        List.of(userId, statusJson, keys.bus(), ttl, PENDING_TTL_MS, webhooks.departureMemory()))
                .map(r -> {
                    long change = r.get(2).toLong();
                    if (change > 0) {
                        webhooks.send(Webhook.memberAdded(appId, channel, userId, new Transition(r.get(3).toLong(), r.get(4).toLong())));
                    } else if (change < 0) {
                        webhooks.send(Webhook.memberRemoved(appId, channel, userId, new Transition(r.get(3).toLong(), 0)));
                    }
                    return r.get(0).toLong() == 1 ? r.get(1).toLong() : 0L;
                });
    }

    /**
     * The channel as of its current sequence number, for a gateway that follows it: its members when
     * {@code withMembers}, and the stored events after {@code after} when given. A channel without a counter yet
     * gets one (the caller needs a number to follow).
     */
    public Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after) {
        return state(appId, channel, withMembers, after, true);
    }

    private Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after, boolean follow) {
        ChannelKeys keys = schema.channel(appId, channel);
        return CHANNEL_STATE.run(redis, List.of(keys.info(), keys.status(), keys.seq(), keys.events(), keys.cache()),
                List.of(withMembers ? "1" : "0", after == null ? "" : Long.toString(after), ttl, window, follow ? "1" : "0")).map(reply -> {
                    Map<String, MemberState> members = new LinkedHashMap<>();
                    Response flat = reply.get(1);
                    for (int i = 0; i + 2 < flat.size(); i += 3) {
                        members.put(flat.get(i).toString(), EventCodec.memberState(flat.get(i + 1).toString(), flat.get(i + 2).toString()));
                    }
                    List<Event> events = new ArrayList<>();
                    for (Response payload : reply.get(2)) {
                        try {
                            events.add(EventCodec.decode(payload.toString()));
                        } catch (IllegalArgumentException e) {
                            LOG.warnf("skipping a stored event of %s: %s", channel, e.getMessage());
                        }
                    }
                    ChannelEvent cached = null;
                    String last = reply.size() > 5 ? reply.get(5).toString() : "";
                    if (!last.isEmpty() && EventCodec.decode(last) instanceof ChannelEvent event) {
                        cached = event;
                    }
                    return new ChannelState(reply.get(0).toLong(), members, events, reply.get(3).toLong() == 1, reply.get(4).toLong() == 1,
                            cached);
                });
    }

    /** The members of a channel others may see, with their user_info (status included). */
    public Uni<Map<String, MemberState>> visibleMembers(String appId, String channel) {
        return state(appId, channel, true, null, false).map(ChannelState::visibleMembers);
    }

    /**
     * Removes every presence connection a gateway node recorded (the node is dead: its lease expired and the caller
     * claimed it), announcing each member left without a connection; answers how many members left a channel.
     */
    public Uni<Integer> reap(String node) {
        return RedisCalls.send(redis, Command.SMEMBERS, schema.nodeConnections(node)).chain(response -> {
            List<String> entries = RedisCalls.strings(response);
            return Multi.createFrom().iterable(entries)
                    .onItem().transformToUni(entry -> {
                        String[] parts = PresenceSchema.parseNodeEntry(entry);
                        return parts == null ? Uni.createFrom().item(Optional.<Left>empty())
                                : leave(parts[0], parts[1], node, parts[2], null, true);
                    }).merge(REAP_CONCURRENCY)
                    .filter(left -> left.isPresent() && left.get().last())
                    .collect().asList()
                    .call(() -> RedisCalls.send(redis, Command.DEL, schema.nodeConnections(node)))
                    .map(List::size)
                    .invoke(removed -> LOG.infof("reaped node %s: %d connections, %d members removed", node, entries.size(), removed));
        });
    }
}
