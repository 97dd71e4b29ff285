package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.EventCodec;
import io.presence.common.event.EventsConfig;
import io.presence.common.event.StreamRetention;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.MemberState;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.UserStatus;
import io.presence.common.webhook.Webhook.Transition;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Redis {@link PresenceStore}, the one owner of presence in channels (layout in {@link PresenceSchema}): join,
 * leave, status updates, the member list, and reaping a dead gateway's connections; used by the gateways and
 * presence-service alike. Each change is one script that decides it (first connection, last connection, newer
 * status) and announces it with the channel's next sequence number in the same step, so a change and its event can
 * never part. What each subscriber sees of a
 * change is decided in one place too: {@link PresenceDiff}.
 */
@ApplicationScoped
public class ChannelPresence implements PresenceStore {

    private static final Logger LOG = Logger.getLogger(ChannelPresence.class);

    private static final RedisScript JOIN = RedisScript.load("join.lua");
    private static final RedisScript LEAVE = RedisScript.load("leave.lua");
    private static final RedisScript CHANNEL_STATE = RedisScript.load("channel_state.lua");
    private static final int REAP_CONCURRENCY = 64;

    private final Redis redis;
    /** The scripts that announce what they decide, in the configured pub/sub flavour. */
    private final RedisScript joinScript;
    private final RedisScript leaveScript;
    private final PresenceSchema schema;
    private final UserPresenceStore users;
    private final WebhookQueue webhooks;
    private final ChannelStatuses statuses;
    private final String ttl;
    private final StreamRetention retention;

    public ChannelPresence(Redis redis, PresenceStoreConfig store, EventsConfig events, StreamRetention retention, UserPresenceStore users,
                           WebhookQueue webhooks) {
        this.redis = redis;
        this.joinScript = JOIN.sharded(events.sharded());
        this.leaveScript = LEAVE.sharded(events.sharded());
        this.schema = store.schema();
        this.users = users;
        this.webhooks = webhooks;
        this.statuses = new ChannelStatuses(redis, store, events, users, webhooks);
        this.ttl = Long.toString(events.sequenceTtl().toMillis());
        this.retention = retention;
    }

    /**
     * Joins one connection of a gateway node to a presence channel as a user: recorded on the node (for the reaper),
     * on the user (online, last seen, status announcements) and in the channel. With {@code known} (the member's
     * status as the caller last saw it) all three go out at once, one round trip; without it the user's status is
     * read first. A status that changed in between is put right in the channel before this answers.
     */
    @Override
    public Uni<Joined> join(String appId, String channel, String node, String connectionId, String userId, JsonNode info,
                            MemberState known, int cap) {
        return join(appId, channel, node, connectionId, userId, info, known, cap, false);
    }

    /**
     * Joins a connection this gateway held all along again, after its node lost its lease (Redis lost its data, or the
     * node stalled and was reaped), with the member as the node last knew it. The world is told the member is back
     * only if a reaper had announced them gone.
     */
    @Override
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
        Uni<UserPresenceStore.Joining> user = users.connect(appId, userId, entry, initial, known != null ? known.version() : 0);
        Uni<Joined> joined;
        if (known == null) {
            joined = Uni.combine().all().unis(onNode, user).asTuple().chain(t -> {
                UserPresenceStore.Joining u = t.getItem2();
                return runJoin(keys, connectionId, userId, info, new MemberState(info, u.status(), u.version()), cap, restore)
                        .chain(reply -> settle(appId, channel, userId, info, reply, u));
            });
        } else {
            Uni<JoinReply> script = runJoin(keys, connectionId, userId, info, known, cap, restore);
            joined = Uni.combine().all().unis(onNode, user, script).asTuple()
                    .chain(t -> settle(appId, channel, userId, info, t.getItem3(), t.getItem2()));
        }
        return joined.call(j -> j.outcome() == Outcome.FULL
                ? RedisCalls.send(redis, Command.SREM, schema.nodeConnections(node), entry).chain(() -> users.disconnect(appId, userId, entry))
                : Uni.createFrom().voidItem());
    }

    private Uni<JoinReply> runJoin(ChannelKeys keys, String connectionId, String userId, JsonNode info, MemberState status, int cap,
                                   boolean restore) {
        List<String> scriptKeys = List.of(keys.conns(), keys.users(), keys.info(), keys.status(), keys.pending(), keys.seq(), keys.departed(),
                keys.departures(), keys.hidden());
        String statusJson = EventCodec.statusJson(status.status(), status.version());
        return StatusVisibility.untilDecided(hint -> joinScript.run(redis, scriptKeys, List.of(connectionId, userId, info.toString(), statusJson,
                        Integer.toString(cap), keys.bus(), ttl, restore ? "1" : "0", webhooks.departureMemory(),
                        StatusVisibility.decision(status.status(), status.version()), hint)),
                JoinReply::decode, JoinReply::undecided);
    }

    /**
     * Reads the join script's answer (queueing member_added when the world now sees the user); brings the channel's
     * status up to date if the user's changed meanwhile.
     */
    private Uni<Joined> settle(String appId, String channel, String userId, JsonNode info, JoinReply joined,
                               UserPresenceStore.Joining user) {
        if (joined.change() == JoinReply.Change.FULL) {
            return Uni.createFrom().item(new Joined(Outcome.FULL, 0, null, user.blockers()));
        }
        Outcome outcome = joined.change() == JoinReply.Change.FIRST ? Outcome.FIRST : Outcome.AGAIN;
        long seq = joined.seq();
        MemberState stored = EventCodec.memberState(info.toString(), joined.statusJson());
        if (joined.seen()) {
            webhooks.send(Webhook.memberAdded(appId, channel, userId, joined.seenAt()));
        }
        if (user.version() <= stored.version()) {
            return Uni.createFrom().item(new Joined(outcome, seq, stored, user.blockers()));
        }
        MemberState current = stored.withStatus(user.status(), user.version());
        return statuses.update(appId, channel, userId, EventCodec.statusJson(user.status(), user.version()))
                .map(updateSeq -> new Joined(outcome, Math.max(seq, updateSeq), current, user.blockers()));
    }

    /**
     * Removes one connection of a gateway node from a presence channel; the user, when known, is updated in the same
     * round trip. Empty when the connection was not in the channel.
     */
    @Override
    public Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId) {
        return leave(appId, channel, node, connectionId, userId, false);
    }

    private Uni<Optional<Left>> leave(String appId, String channel, String node, String connectionId, String userId, boolean reaped) {
        ChannelKeys keys = schema.channel(appId, channel);
        String entry = PresenceSchema.nodeEntry(appId, channel, connectionId);
        List<String> scriptKeys = List.of(keys.conns(), keys.users(), keys.info(), keys.status(), keys.seq(), keys.departed(),
                keys.departures(), keys.hidden());
        Uni<Optional<Left>> left = StatusVisibility.untilDecided(hint -> leaveScript.run(redis, scriptKeys,
                        List.of(connectionId, keys.bus(), ttl, reaped ? "1" : "0", webhooks.departureMemory(), hint)),
                LeaveReply::decode, LeaveReply::undecided).map(decoded -> {
                    decoded.filter(LeaveReply::seen).ifPresent(l ->
                            webhooks.send(Webhook.memberRemoved(appId, channel, l.userId(), new Transition(l.at(), 0))));
                    return decoded.map(l -> new Left(l.userId(), l.last(), l.seq()));
                });
        Uni<Response> offNode = RedisCalls.send(redis, Command.SREM, schema.nodeConnections(node), entry);
        if (userId != null) {
            return Uni.combine().all().unis(left, offNode, users.disconnect(appId, userId, entry)).asTuple().map(t -> t.getItem1());
        }
        return Uni.combine().all().unis(left, offNode).asTuple().map(t -> t.getItem1())
                .call(l -> l.isPresent() ? users.disconnect(appId, l.get().userId(), entry) : Uni.createFrom().voidItem());
    }

    /**
     * Stores the status of a user of an app and announces it in every presence channel of the app they are in (a
     * channel with a newer one keeps it). With {@code onlyIfExpiresAt} nothing happens unless the stored expiry still has that value.
     * Answers the number of channels told, or -1 when nothing changed.
     */
    @Override
    public Uni<Integer> setStatus(String appId, String userId, UserStatus next, Long onlyIfExpiresAt) {
        return statuses.set(appId, userId, next, onlyIfExpiresAt);
    }

    /**
     * The channel as of its current sequence number, for a gateway that follows it: its members when
     * {@code withMembers}, and the stored events after {@code after} when given. A channel without a counter yet
     * gets one (the caller needs a number to follow).
     */
    @Override
    public Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after) {
        return state(appId, channel, withMembers, after, true);
    }

    private Uni<ChannelState> state(String appId, String channel, boolean withMembers, Long after, boolean follow) {
        ChannelKeys keys = schema.channel(appId, channel);
        String window = Integer.toString(retention.of(appId).maxEvents());
        return CHANNEL_STATE.run(redis, List.of(keys.info(), keys.status(), keys.seq(), keys.events(), keys.cache(), keys.floor()),
                List.of(withMembers ? "1" : "0", after == null ? "" : Long.toString(after), ttl, window, follow ? "1" : "0"))
                .map(reply -> ChannelStateReply.decode(reply, channel));
    }

    /** The members of a channel others may see, with their user_info (status included). */
    @Override
    public Uni<Map<String, MemberState>> visibleMembers(String appId, String channel) {
        return state(appId, channel, true, null, false).map(ChannelState::visibleMembers);
    }

    /**
     * Removes every presence connection a gateway node recorded (the node is dead: its lease expired and the caller
     * claimed it), announcing each member left without a connection; answers how many members left a channel.
     */
    @Override
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
