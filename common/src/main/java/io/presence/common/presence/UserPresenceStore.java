package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-user presence in Redis (layout in {@link PresenceSchema}), per user of an app (the same id in another app is
 * another user): which connections a user has on any gateway
 * (presence and signed-in ones), their status and its version, when they were last seen, and who blocked them.
 * The scripts that decide a user went online or offline (first or last connection, going visible or invisible)
 * also name who watches them, and this class has {@link WatchlistEvents} tell those. What a status change does in
 * channels is {@link ChannelPresence}'s business; this class only keeps the user's own record.
 */
@ApplicationScoped
public class UserPresenceStore {

    /** A user as others may see them right now; {@code connections} counts presence and signed-in connections on all gateways. */
    public record Snapshot(String userId, int connections, UserStatus status, long lastSeen) {
    }

    /** What a join learns about its user: their status in effect, its version, and who blocked them. */
    public record Joining(UserStatus status, long version, Set<String> blockers) {
    }

    /** A stored status change: its version, the status it replaced (as in effect), and the channels to tell. */
    public record StatusStored(long version, UserStatus previous, Set<List<String>> channels) {
    }

    /** A user of an app whose status expired (at {@code expiresAt}, to pass to {@link #store}). */
    public record Expired(String appId, String userId, long expiresAt) {
    }

    private static final RedisScript USER_JOIN = RedisScript.load("user_join.lua");
    private static final RedisScript USER_LEAVE = RedisScript.load("user_leave.lua");
    private static final RedisScript STATUS = RedisScript.load("status.lua");

    private final Redis redis;
    private final PresenceSchema schema;
    private final Clock clock;
    private final WatchlistEvents watchlists;

    @Inject
    public UserPresenceStore(Redis redis, PresenceStoreConfig config, WatchlistEvents watchlists) {
        this(redis, config.schema(), Clock.systemUTC(), watchlists);
    }

    public UserPresenceStore(Redis redis, PresenceSchema schema, Clock clock, WatchlistEvents watchlists) {
        this.redis = redis;
        this.schema = schema;
        this.clock = clock;
        this.watchlists = watchlists;
    }

    /**
     * Records a presence connection of the user ({@link PresenceSchema#nodeEntry}) and answers their status, its
     * version and their blockers; a user without a stored status starts with {@code initial} at {@code version}.
     */
    public Uni<Joining> connect(String appId, String userId, String entry, UserStatus initial, long version) {
        List<String> keys = List.of(schema.userConnections(appId, userId), schema.userState(appId, userId),
                schema.blockers(appId, userId), schema.watchers(appId, userId));
        return StatusVisibility.untilDecided(hint -> USER_JOIN.run(redis, keys, List.of(entry, initial.status().wire(), initial.text(),
                                Long.toString(initial.expiresAt()), Long.toString(version), Long.toString(StatusVisibility.hiddenUntil(initial)), hint)),
                        UserJoinReply::decode, UserJoinReply::undecided)
                .map(reply -> {
                    announce(userId, true, reply.number(), reply.watchers());
                    Map<String, String> state = reply.state();
                    return new Joining(UserStatus.fromState(state).effective(clock.millis()), UserStatus.parseLong(state.get("v")),
                            new LinkedHashSet<>(reply.blockers()));
                });
    }

    /**
     * Forgets a connection; answers how many the user has left (0: now offline, last seen recorded, watchers told;
     * -1: unknown entry, which is then taken out of the previous layout's connections too, where a gateway of the
     * previous version recorded it: the reaper of such a gateway ends up here).
     */
    public Uni<Long> disconnect(String appId, String userId, String entry) {
        List<String> keys = List.of(schema.userConnections(appId, userId), schema.userState(appId, userId), schema.watchers(appId, userId));
        String now = Long.toString(clock.millis());
        return StatusVisibility.untilDecided(hint -> USER_LEAVE.run(redis, keys, List.of(entry, now, hint)),
                        UserLeaveReply::decode, UserLeaveReply::undecided)
                .map(reply -> {
                    announce(userId, false, reply.number(), reply.watchers());
                    return reply.left();
                })
                .call(left -> left == -1 && hasLegacyKeys(userId)
                        ? send(Command.SREM, schema.legacy().key(userId, "conns"), entry) : Uni.createFrom().voidItem());
    }

    /** Tells the watchers a script listed that the user went online or offline (nothing when it listed none). */
    private void announce(String userId, boolean online, long number, List<String> watchers) {
        if (!watchers.isEmpty()) {
            watchlists.announce(userId, online, number, watchers);
        }
    }

    /** The user's status in effect now. */
    public Uni<UserStatus> status(String appId, String userId) {
        return send(Command.HGETALL, schema.userState(appId, userId))
                .map(state -> UserStatus.fromState(toMap(state)).effective(clock.millis()));
    }

    /**
     * Connections, status in effect and last seen of a user. A user without connections in today's layout is counted
     * with their app's connections in the previous layout's set, which gateways of the previous version keep during a
     * rolling upgrade (see {@link LegacyUserKeys}).
     */
    public Uni<Snapshot> snapshot(String appId, String userId) {
        Uni<Response> state = send(Command.HGETALL, schema.userState(appId, userId));
        Uni<Integer> count = send(Command.SCARD, schema.userConnections(appId, userId)).chain(n -> {
            int connections = n == null ? 0 : n.toInteger();
            return connections > 0 || !hasLegacyKeys(userId) ? Uni.createFrom().item(connections) : legacyConnections(appId, userId);
        });
        return Uni.combine().all().unis(state, count).asTuple().map(t -> {
            Map<String, String> fields = toMap(t.getItem1());
            return new Snapshot(userId, t.getItem2(),
                    UserStatus.fromState(fields).effective(clock.millis()), UserStatus.parseLong(fields.get("lastSeen")));
        });
    }

    /** The user's connections of an app in the previous layout's set (of every app's users of that id). */
    private Uni<Integer> legacyConnections(String appId, String userId) {
        return send(Command.SMEMBERS, schema.legacy().key(userId, "conns")).map(members -> (int) RedisCalls.strings(members).stream()
                .map(PresenceSchema::parseNodeEntry)
                .filter(parts -> parts != null && parts[0].equals(appId))
                .count());
    }

    /** Whether the user id can have keys of the previous layout told apart from today's (see {@link LegacyUserKeys}). */
    private static boolean hasLegacyKeys(String userId) {
        return userId.indexOf(':') < 0;
    }

    /** The users who blocked this user (they must stay out of this user's sight). */
    public Uni<Set<String>> blockers(String appId, String userId) {
        return send(Command.SMEMBERS, schema.blockers(appId, userId)).map(r -> new LinkedHashSet<>(RedisCalls.strings(r)));
    }

    /**
     * Stores a status with a new version and answers the channels the user is in. With {@code onlyIfExpiresAt} the
     * change only happens while the stored expiry still has that value (the expiry worker uses it so a status chosen
     * meanwhile survives); null when nothing changed.
     */
    public Uni<StatusStored> store(String appId, String userId, UserStatus next, Long onlyIfExpiresAt) {
        List<String> keys = List.of(schema.userState(appId, userId), schema.userConnections(appId, userId), schema.watchers(appId, userId));
        List<String> args = List.of(next.status().wire(), next.text(), Long.toString(next.expiresAt()),
                onlyIfExpiresAt == null ? "" : Long.toString(onlyIfExpiresAt), Long.toString(StatusVisibility.hiddenUntil(next)));
        return StatusVisibility.untilDecided(hint -> STATUS.run(redis, keys, withHint(args, hint)), StatusReply::decode, StatusReply::undecided)
                .chain(decoded -> {
                    if (decoded.isEmpty()) {
                        return Uni.createFrom().nullItem();
                    }
                    StatusReply result = decoded.get();
                    long version = result.version();
                    UserStatus previous = new UserStatus(result.previous().effective(clock.millis()).status(), "", 0);
                    Set<List<String>> channels = new LinkedHashSet<>();
                    for (String entry : result.connections()) {
                        String[] parts = PresenceSchema.parseNodeEntry(entry);
                        if (parts != null && !parts[1].startsWith("#")) {
                            channels.add(List.of(parts[0], parts[1]));
                        }
                    }
                    announce(userId, result.change() == StatusReply.Change.APPEARED, result.number(), result.watchers());
                    return scheduleExpiry(appId, userId, next).replaceWith(new StatusStored(version, previous, channels));
                });
    }

    private Uni<Void> scheduleExpiry(String appId, String userId, UserStatus next) {
        String member = PresenceSchema.appUser(appId, userId);
        return (next.expiresAt() == 0
                ? send(Command.ZREM, schema.statusExpiry(), member)
                : send(Command.ZADD, schema.statusExpiry(), Long.toString(next.expiresAt()), member)).replaceWithVoid();
    }

    /** Users whose status expired by now (at most {@code limit}), with the expiry to pass to {@link #store}. */
    public Uni<List<Expired>> expiredStatuses(int limit) {
        return send(Command.ZRANGEBYSCORE, schema.statusExpiry(), "-inf", Long.toString(clock.millis()),
                "WITHSCORES", "LIMIT", "0", Integer.toString(limit)).map(response -> {
                    List<Expired> expired = new ArrayList<>();
                    if (response == null) {
                        return expired;
                    }
                    // RESP3 answers [[member, score], ...], RESP2 a flat member, score, ... list
                    List<Response> items = new ArrayList<>();
                    response.forEach(items::add);
                    for (int i = 0; i < items.size(); i++) {
                        Response item = items.get(i);
                        String member;
                        long at;
                        if (item.type() == ResponseType.MULTI) {
                            member = item.get(0).toString();
                            at = item.get(1).toDouble().longValue();
                        } else if (i + 1 < items.size()) {
                            member = item.toString();
                            at = (long) Double.parseDouble(items.get(++i).toString());
                        } else {
                            continue;
                        }
                        String[] appUser = PresenceSchema.parseAppUser(member);
                        if (appUser != null) {
                            expired.add(new Expired(appUser[0], appUser[1], at));
                        }
                    }
                    return expired;
                });
    }

    /** Claims one expired entry (only one caller wins the ZREM, so several presence-service replicas can run it). */
    public Uni<Boolean> claimExpiry(Expired expired) {
        return send(Command.ZREM, schema.statusExpiry(), PresenceSchema.appUser(expired.appId(), expired.userId()))
                .map(r -> r.toLong() == 1);
    }

    private static List<String> withHint(List<String> args, String hint) {
        List<String> all = new ArrayList<>(args);
        all.add(hint);
        return all;
    }

    private Uni<Response> send(Command command, String... args) {
        return RedisCalls.send(redis, command, args);
    }

    static Map<String, String> toMap(Response hash) {
        Map<String, String> map = new HashMap<>();
        RedisHashes.forEach(hash, map::put);
        return map;
    }
}
