package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
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
 * Per-user presence in Redis (layout in {@link PresenceSchema}): which connections a user has on any gateway
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
    public Uni<Joining> connect(String userId, String entry, UserStatus initial, long version) {
        return USER_JOIN.run(redis, List.of(schema.userConnections(userId), schema.userState(userId), schema.blockers(userId),
                                schema.watchers(userId)),
                        List.of(entry, initial.status().wire(), initial.text(), Long.toString(initial.expiresAt()), Long.toString(version)))
                .map(reply -> {
                    announce(userId, true, reply.get(3), reply.get(2));
                    Map<String, String> state = toMap(reply.get(0));
                    return new Joining(UserStatus.fromState(state).effective(clock.millis()), UserStatus.parseLong(state.get("v")),
                            new LinkedHashSet<>(RedisCalls.strings(reply.get(1))));
                });
    }

    /**
     * Forgets a connection; answers how many the user has left (0: now offline, last seen recorded, watchers told;
     * -1: unknown entry).
     */
    public Uni<Long> disconnect(String userId, String entry) {
        return USER_LEAVE.run(redis, List.of(schema.userConnections(userId), schema.userState(userId), schema.watchers(userId)),
                        List.of(entry, Long.toString(clock.millis())))
                .map(reply -> {
                    announce(userId, false, reply.get(2), reply.get(1));
                    return reply.get(0).toLong();
                });
    }

    /** Tells the watchers a script listed that the user went online or offline (nothing when it listed none). */
    private void announce(String userId, boolean online, Response number, Response watchers) {
        List<String> told = RedisCalls.strings(watchers);
        if (!told.isEmpty()) {
            watchlists.announce(userId, online, number.toLong(), told);
        }
    }

    /** The user's status in effect now. */
    public Uni<UserStatus> status(String userId) {
        return send(Command.HGETALL, schema.userState(userId))
                .map(state -> UserStatus.fromState(toMap(state)).effective(clock.millis()));
    }

    /** Connections, status in effect and last seen of a user. */
    public Uni<Snapshot> snapshot(String userId) {
        Uni<Response> state = send(Command.HGETALL, schema.userState(userId));
        Uni<Response> count = send(Command.SCARD, schema.userConnections(userId));
        return Uni.combine().all().unis(state, count).asTuple().map(t -> {
            Map<String, String> fields = toMap(t.getItem1());
            return new Snapshot(userId, t.getItem2() == null ? 0 : t.getItem2().toInteger(),
                    UserStatus.fromState(fields).effective(clock.millis()), UserStatus.parseLong(fields.get("lastSeen")));
        });
    }

    /** The users who blocked this user (they must stay out of this user's sight). */
    public Uni<Set<String>> blockers(String userId) {
        return send(Command.SMEMBERS, schema.blockers(userId)).map(r -> new LinkedHashSet<>(RedisCalls.strings(r)));
    }

    /**
     * Stores a status with a new version and answers the channels the user is in. With {@code onlyIfExpiresAt} the
     * change only happens while the stored expiry still has that value (the expiry worker uses it so a status chosen
     * meanwhile survives); null when nothing changed.
     */
    public Uni<StatusStored> store(String userId, UserStatus next, Long onlyIfExpiresAt) {
        return STATUS.run(redis, List.of(schema.userState(userId), schema.userConnections(userId), schema.watchers(userId)),
                        List.of(next.status().wire(), next.text(), Long.toString(next.expiresAt()),
                                onlyIfExpiresAt == null ? "" : Long.toString(onlyIfExpiresAt)))
                .chain(result -> {
                    if (result == null || result.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    long version = result.get(0).toLong();
                    UserStatus previous = new UserStatus(Status.parse(result.get(1).toString()).orElse(Status.ONLINE), "", 0);
                    Set<List<String>> channels = new LinkedHashSet<>();
                    for (String entry : RedisCalls.strings(result.get(2))) {
                        String[] parts = PresenceSchema.parseNodeEntry(entry);
                        if (parts != null && !parts[1].startsWith("#")) {
                            channels.add(List.of(parts[0], parts[1]));
                        }
                    }
                    announce(userId, result.get(3).toInteger() > 0, result.get(5), result.get(4));
                    return scheduleExpiry(userId, next).replaceWith(new StatusStored(version, previous, channels));
                });
    }

    private Uni<Void> scheduleExpiry(String userId, UserStatus next) {
        return (next.expiresAt() == 0
                ? send(Command.ZREM, schema.statusExpiry(), userId)
                : send(Command.ZADD, schema.statusExpiry(), Long.toString(next.expiresAt()), userId)).replaceWithVoid();
    }

    /** Users whose status expired by now (at most {@code limit}), with the expiry to pass to {@link #store}. */
    public Uni<Map<String, Long>> expiredStatuses(int limit) {
        return send(Command.ZRANGEBYSCORE, schema.statusExpiry(), "-inf", Long.toString(clock.millis()),
                "WITHSCORES", "LIMIT", "0", Integer.toString(limit)).map(response -> {
                    Map<String, Long> expired = new HashMap<>();
                    if (response == null) {
                        return expired;
                    }
                    // RESP3 answers [[member, score], ...], RESP2 a flat member, score, ... list
                    List<Response> items = new ArrayList<>();
                    response.forEach(items::add);
                    for (int i = 0; i < items.size(); i++) {
                        Response item = items.get(i);
                        if (item.type() == ResponseType.MULTI) {
                            expired.put(item.get(0).toString(), item.get(1).toDouble().longValue());
                        } else if (i + 1 < items.size()) {
                            expired.put(item.toString(), (long) Double.parseDouble(items.get(++i).toString()));
                        }
                    }
                    return expired;
                });
    }

    /** Claims one expired entry (only one caller wins the ZREM, so several presence-service replicas can run it). */
    public Uni<Boolean> claimExpiry(String userId) {
        return send(Command.ZREM, schema.statusExpiry(), userId).map(r -> r.toLong() == 1);
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
