package io.presence.common.presence;

import io.presence.common.redis.ClusterSlots;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.UserStatus;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Moves what the layout before apps were tenants left in Redis: user keys by id alone ({@code {u:<user>}}, written
 * for every app mixed) and the two indexes that were not per app. Statuses and last seen are copied to the built-in
 * app's users (where today's is missing or of an older status version: a gateway of the previous version changed it
 * since), blockers too (only user-service, whose accounts are the built-in app's users, wrote them) unless today's
 * exist; connections and watchers are not: every gateway registers its connections in today's layout as it starts,
 * and until then {@link UserPresenceStore#snapshot} also counts the old connections of the app. Old keys of a user id with a colon cannot be told from today's ({@code
 * {u:<app>:<user>}}) and are left alone. Every other old key is then given {@link #KEEP} to live, so gateways of the previous
 * version still read and write theirs during a rolling upgrade, and nothing stays for ever. Safe to run any number
 * of times, by several replicas at once; on a Redis Cluster every master is scanned.
 */
@ApplicationScoped
public class LegacyUserKeys {

    /** How long the previous layout's keys stay after a pass found them: longer than a rolling upgrade takes. */
    public static final Duration KEEP = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(LegacyUserKeys.class);
    private static final RedisScript SCAN = RedisScript.load("legacy_scan.lua");
    private static final RedisScript COPY = RedisScript.load("legacy_copy.lua");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCAN_COUNT = "1000";

    /** What a pass did: old keys found, statuses and blockers sets copied. */
    public record Moved(int found, int states, int blockers) {
    }

    /** The reply of {@code redis/legacy_scan.lua}, read in this one place: {@code {next cursor, {keys}}} as SCAN answers. */
    private record ScanPage(String cursor, List<String> keys) {

        static ScanPage decode(Response reply) {
            return new ScanPage(reply.get(0).toString(), RedisCalls.strings(reply.get(1)));
        }
    }

    private final Redis redis;
    private final PresenceSchema schema;

    public LegacyUserKeys(Redis redis, PresenceStoreConfig config) {
        this.redis = redis;
        this.schema = config.schema();
    }

    /**
     * One pass (blocking: run it off the event loop); {@code mainAppId} is the built-in app. Once a pass found nothing
     * (the old keys expired, or there never were any), it says so in Redis and later passes only read that.
     */
    public Moved migrate(String mainAppId) {
        if (send(Command.EXISTS, schema.legacy().done()).toLong() == 1) {
            return new Moved(0, 0, 0);
        }
        int found = 0;
        int states = 0;
        int blockers = 0;
        for (String node : nodeKeys()) {
            String cursor = "0";
            do {
                ScanPage page = SCAN.run(redis, List.of(node), List.of(cursor, schema.legacy().userKeyPattern(), SCAN_COUNT))
                        .map(ScanPage::decode).await().atMost(WAIT);
                cursor = page.cursor();
                for (String key : page.keys()) {
                    String[] legacy = schema.legacy().parseUserKey(key);
                    if (legacy == null) {
                        continue;
                    }
                    found++;
                    if (legacy[1].equals("state") && copyState(mainAppId, legacy[0], key)) {
                        states++;
                    } else if (legacy[1].equals("blockers") && copyBlockers(mainAppId, legacy[0], key)) {
                        blockers++;
                    }
                    expire(key);
                }
            } while (!cursor.equals("0"));
        }
        schema.legacy().indexes().forEach(this::expire);
        if (found == 0) {
            send(Command.SET, schema.legacy().done(), Long.toString(System.currentTimeMillis()));
        } else {
            LOG.infof("previous layout's user keys: %d found (kept %s more), %d statuses and %d blockers sets of app %s copied",
                    found, KEEP, states, blockers, mainAppId);
        }
        return new Moved(found, states, blockers);
    }

    private boolean copyState(String mainAppId, String userId, String key) {
        Map<String, String> state = new LinkedHashMap<>();
        RedisHashes.forEach(send(Command.HGETALL, key), state::put);
        List<String> args = new ArrayList<>(List.of("state"));
        state.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        boolean copied = COPY.run(redis, List.of(schema.userState(mainAppId, userId)), args).await().atMost(WAIT).toLong() == 2;
        long expiresAt = UserStatus.parseLong(state.get("expiresAt"));
        String member = PresenceSchema.appUser(mainAppId, userId);
        if (copied && expiresAt > 0) {
            send(Command.ZADD, schema.statusExpiry(), Long.toString(expiresAt), member);
        } else if (copied) {
            send(Command.ZREM, schema.statusExpiry(), member);
        }
        return copied;
    }

    private boolean copyBlockers(String mainAppId, String userId, String key) {
        List<String> args = new ArrayList<>(List.of("set"));
        args.addAll(RedisCalls.strings(send(Command.SMEMBERS, key)));
        boolean copied = COPY.run(redis, List.of(schema.blockers(mainAppId, userId)), args).await().atMost(WAIT).toLong() == 2;
        if (copied) {
            send(Command.SADD, schema.blockedUsers(mainAppId), userId);
        }
        return copied;
    }

    /** Gives an old key {@link #KEEP} to live unless it has a deadline already (a later pass does not push it back). */
    private void expire(String key) {
        Response ttl = send(Command.PTTL, key);
        if (ttl != null && ttl.toLong() == -1) {
            send(Command.PEXPIRE, key, Long.toString(KEEP.toMillis()));
        }
    }

    /**
     * A key served by each node to scan: on a Redis Cluster one per master (a key of the first slot it serves), on a
     * single Redis any key.
     */
    private List<String> nodeKeys() {
        Response slots;
        try {
            slots = send(Command.CLUSTER, "SLOTS");
        } catch (RuntimeException e) {
            return List.of("legacy-scan"); // not a cluster
        }
        Map<String, Integer> firstSlotByMaster = new LinkedHashMap<>();
        for (Response range : slots) {
            firstSlotByMaster.merge(range.get(2).get(2).toString(), range.get(0).toInteger(), Math::min);
        }
        List<String> keys = new ArrayList<>();
        for (int slot : firstSlotByMaster.values()) {
            keys.add(keyOfSlot(slot));
        }
        return keys;
    }

    /** A key that hashes to the slot. */
    static String keyOfSlot(int slot) {
        for (int i = 0; ; i++) {
            String key = "legacy-scan-" + i;
            if (ClusterSlots.of(key) == slot) {
                return key;
            }
        }
    }

    private Response send(Command command, String... args) {
        return RedisCalls.send(redis, command, args).await().atMost(WAIT);
    }
}
