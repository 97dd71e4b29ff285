package io.presence.common.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.presence.BusMessage.Audience;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
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
 * Per-user presence in Redis (layout in {@link PresenceSchema}): which presence connections a user has on any
 * gateway, their status, when they were last seen, and who blocked them. A status change is announced in every
 * presence channel the user is in: {@code pusher:member_updated}, or member_removed / member_added when they
 * become invisible / visible. Used by the gateways (joins, leaves, {@code client-status-update}) and by
 * presence-service (REST API, expiry, reaper), so both follow exactly the same rules.
 */
@ApplicationScoped
public class UserPresenceStore {

    /** A user as others may see them right now; {@code connections} counts presence connections on all gateways. */
    public record Snapshot(String userId, int connections, UserStatus status, long lastSeen) {
    }

    private static final int CAS_ATTEMPTS = 5;

    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final ObjectMapper json;
    private final Clock clock;

    @Inject
    public UserPresenceStore(ReactiveRedisDataSource redis, PresenceStoreConfig config, ObjectMapper json) {
        this(redis, config.schema(), json, Clock.systemUTC());
    }

    UserPresenceStore(ReactiveRedisDataSource redis, PresenceSchema schema, ObjectMapper json, Clock clock) {
        this.redis = redis;
        this.schema = schema;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records a presence connection of the user ({@link PresenceSchema#nodeEntry}) and answers their status in
     * effect; a user without a stored status starts with {@code initial}.
     */
    public Uni<UserStatus> connect(String userId, String entry, UserStatus initial) {
        return redis.execute("EVAL", PresenceSchema.USER_JOIN_SCRIPT, "2",
                        schema.userConnections(userId), schema.userState(userId), entry, initial.status().wire(), initial.text())
                .map(state -> UserStatus.fromState(toMap(state)).effective(clock.millis()));
    }

    /** Forgets a presence connection; answers how many the user has left (0: now offline, last seen recorded). */
    public Uni<Long> disconnect(String userId, String entry) {
        return redis.execute("EVAL", PresenceSchema.USER_LEAVE_SCRIPT, "2",
                        schema.userConnections(userId), schema.userState(userId), entry, Long.toString(clock.millis()))
                .map(Response::toLong);
    }

    /** The user's status in effect now. */
    public Uni<UserStatus> status(String userId) {
        return redis.execute("HGETALL", schema.userState(userId))
                .map(state -> UserStatus.fromState(toMap(state)).effective(clock.millis()));
    }

    /** Connections, status in effect and last seen of a user. */
    public Uni<Snapshot> snapshot(String userId) {
        Uni<Response> state = redis.execute("HGETALL", schema.userState(userId));
        Uni<Response> count = redis.execute("SCARD", schema.userConnections(userId));
        return Uni.combine().all().unis(state, count).asTuple().map(t -> {
            Map<String, String> fields = toMap(t.getItem1());
            return new Snapshot(userId, t.getItem2() == null ? 0 : t.getItem2().toInteger(),
                    UserStatus.fromState(fields).effective(clock.millis()), UserStatus.parseLong(fields.get("lastSeen")));
        });
    }

    /** The users who blocked this user (they must stay out of this user's sight). */
    public Uni<Set<String>> blockers(String userId) {
        return redis.execute("SMEMBERS", schema.blockers(userId)).map(r -> new LinkedHashSet<>(strings(r)));
    }

    /**
     * Stores a status and announces it in every presence channel the user is in. With {@code onlyIfExpiresAt}
     * the change only happens while the stored expiry still has that value (the expiry worker uses it so a status
     * chosen meanwhile survives). Answers the number of channels told, or -1 when nothing was changed.
     */
    public Uni<Integer> setStatus(String userId, UserStatus next, Long onlyIfExpiresAt) {
        long now = clock.millis();
        return redis.execute("EVAL", PresenceSchema.STATUS_SCRIPT, "2", schema.userState(userId), schema.userConnections(userId),
                        next.status().wire(), next.text(), Long.toString(next.expiresAt()), Long.toString(now),
                        onlyIfExpiresAt == null ? "" : Long.toString(onlyIfExpiresAt))
                .chain(result -> {
                    if (result == null || result.size() == 0) {
                        return Uni.createFrom().item(-1);
                    }
                    UserStatus previous = new UserStatus(Status.parse(result.get(0).toString()).orElse(Status.ONLINE), "", 0);
                    Set<String> channels = new LinkedHashSet<>();
                    for (int i = 1; i < result.size(); i++) {
                        String[] parts = PresenceSchema.parseNodeEntry(result.get(i).toString());
                        if (parts != null) {
                            channels.add(parts[0] + '\u0000' + parts[1]);
                        }
                    }
                    return scheduleExpiry(userId, next).chain(() -> announceAll(userId, previous, next, channels));
                });
    }

    private Uni<Void> scheduleExpiry(String userId, UserStatus next) {
        return (next.expiresAt() == 0
                ? redis.execute("ZREM", schema.statusExpiry(), userId)
                : redis.execute("ZADD", schema.statusExpiry(), Long.toString(next.expiresAt()), userId)).replaceWithVoid();
    }

    private Uni<Integer> announceAll(String userId, UserStatus previous, UserStatus next, Set<String> channels) {
        if (channels.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Boolean>> announcements = new ArrayList<>();
        for (String key : channels) {
            String[] appAndChannel = key.split("\u0000", 2);
            announcements.add(announce(appAndChannel[0], appAndChannel[1], userId, previous, next));
        }
        return Uni.join().all(announcements).andCollectFailures()
                .map(told -> (int) told.stream().filter(Boolean::booleanValue).count());
    }

    /**
     * Puts a status into the user's user_info in one channel and tells the channel: member_updated while visible,
     * member_removed / member_added (for everyone else) when visibility changes, and member_updated only to the
     * user's own connections while invisible. Answers false when the user is not in the channel.
     */
    public Uni<Boolean> announce(String appId, String channel, String userId, UserStatus previous, UserStatus next) {
        return replaceInfo(appId, channel, userId, next, CAS_ATTEMPTS).chain(info -> {
            if (info == null) {
                return Uni.createFrom().item(false);
            }
            List<BusMessage> messages = new ArrayList<>();
            if (next.invisible()) {
                if (!previous.invisible()) {
                    messages.add(BusMessage.about(userId, Audience.OTHERS, PresenceSchema.memberRemovedFrame(channel, userId), null));
                }
                messages.add(BusMessage.about(userId, Audience.SUBJECT, PresenceSchema.memberUpdatedFrame(channel, userId, info), null));
            } else if (previous.invisible()) {
                messages.add(BusMessage.about(userId, Audience.OTHERS, PresenceSchema.memberAddedFrame(channel, userId, info), null));
                messages.add(BusMessage.about(userId, Audience.SUBJECT, PresenceSchema.memberUpdatedFrame(channel, userId, info), null));
            } else {
                messages.add(BusMessage.about(userId, Audience.ALL, PresenceSchema.memberUpdatedFrame(channel, userId, info), null));
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (BusMessage message : messages) {
                chain = chain.chain(() -> publish(appId, channel, message));
            }
            return chain.replaceWith(true);
        });
    }

    /** Publishes a bus message to every gateway listening on the channel. */
    public Uni<Void> publish(String appId, String channel, BusMessage message) {
        return redis.execute("PUBLISH", schema.busChannel(appId, channel), message.encode()).replaceWithVoid();
    }

    /** Compare-and-set of the member's user_info; the new user_info, or null when the user is not in the channel. */
    private Uni<JsonNode> replaceInfo(String appId, String channel, String userId, UserStatus next, int attempts) {
        String[] keys = schema.channelKeys(appId, channel);
        return redis.execute("HGET", keys[2], userId).chain(current -> {
            if (current == null) {
                return Uni.createFrom().nullItem();
            }
            String before = current.toString();
            JsonNode info = next.overlay(parse(before));
            return redis.execute("EVAL", PresenceSchema.MEMBER_INFO_SCRIPT, "2", keys[1], keys[2], userId, before, info.toString())
                    .chain(outcome -> {
                        long result = outcome.toLong();
                        if (result == 1) {
                            return Uni.createFrom().item(info);
                        }
                        if (result == 0 || attempts <= 1) {
                            return Uni.createFrom().nullItem();
                        }
                        return replaceInfo(appId, channel, userId, next, attempts - 1);
                    });
        });
    }

    /** Users whose status expired by now (at most {@code limit}), with the expiry to pass to {@link #setStatus}. */
    public Uni<Map<String, Long>> expiredStatuses(int limit) {
        return redis.execute("ZRANGEBYSCORE", schema.statusExpiry(), "-inf", Long.toString(clock.millis()),
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
        return redis.execute("ZREM", schema.statusExpiry(), userId).map(r -> r.toLong() == 1);
    }

    public JsonNode parse(String userInfo) {
        try {
            JsonNode node = json.readTree(userInfo);
            return node == null ? json.createObjectNode() : node;
        } catch (Exception e) {
            // written by this code from a JSON node: only a hand-edited Redis gets here
            return json.createObjectNode();
        }
    }

    static Map<String, String> toMap(Response hash) {
        Map<String, String> map = new HashMap<>();
        RedisHashes.forEach(hash, map::put);
        return map;
    }

    static List<String> strings(Response response) {
        List<String> values = new ArrayList<>();
        if (response != null) {
            for (Response item : response) {
                values.add(item.toString());
            }
        }
        return values;
    }
}
