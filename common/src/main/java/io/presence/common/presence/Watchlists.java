package io.presence.common.presence;

import io.presence.common.pusher.Channels;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisHashes;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.UserStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Signed-in connections ({@code pusher:signin}) and their watchlists: a signed-in connection counts as one of its
 * user's connections (online, last seen), is listed on its gateway node for the reaper, and is put on the watchers
 * of every user it watches (users of its own app), so the scripts that decide those users' transitions name it ({@link WatchlistEvents}).
 */
@ApplicationScoped
public class Watchlists {

    /** The most users one watchlist may hold (Pusher's limit). */
    public static final int MAX_WATCHED = 100;

    private static final Logger LOG = Logger.getLogger(Watchlists.class);
    private static final RedisScript WATCH = RedisScript.load("watch.lua");
    private static final int REAP_CONCURRENCY = 16;

    /** A watched user's state when a connection started watching: online or not, as of transition {@code number}. */
    public record Watched(String userId, boolean online, long number) {
    }

    private final Redis redis;
    private final PresenceSchema schema;
    private final UserPresenceStore users;

    public Watchlists(Redis redis, PresenceStoreConfig config, UserPresenceStore users) {
        this.redis = redis;
        this.schema = config.schema();
        this.users = users;
    }

    /**
     * Records a signed-in connection of a user on a gateway node and puts it on the watchers of each user of its
     * watchlist; answers each watched user's state as of the moment the connection was added (every later
     * transition reaches it). Doing it again for the same connection changes nothing and reads the states anew.
     */
    public Uni<List<Watched>> signIn(String appId, String node, String connectionId, String userId, List<String> watchlist) {
        String entry = entry(appId, connectionId, userId);
        // on the node first: if this gateway dies from here on, the reaper finds what to undo
        return RedisCalls.send(redis, Command.HSET, schema.nodeSignedIn(node), entry, PresenceSchema.joined(watchlist))
                .chain(() -> users.connect(appId, userId, entry, UserStatus.DEFAULT, 0))
                .chain(() -> {
                    List<Uni<Watched>> reads = new ArrayList<>();
                    for (String watched : watchlist) {
                        List<String> keys = List.of(schema.watchers(appId, watched), schema.userConnections(appId, watched),
                                schema.userState(appId, watched));
                        String watcher = watcher(appId, userId, connectionId);
                        reads.add(StatusVisibility.untilDecided(hint -> WATCH.run(redis, keys, List.of(watcher, hint)),
                                        WatchReply::decode, WatchReply::undecided)
                                .map(reply -> new Watched(watched, reply.change() == WatchReply.Change.ONLINE, reply.number())));
                    }
                    return reads.isEmpty() ? Uni.createFrom().item(List.<Watched>of()) : Uni.join().all(reads).andFailFast();
                });
    }

    /** Forgets a signed-in connection: off its watched users' watchers, off its user (offline if it was the last), off the node. */
    public Uni<Void> signOut(String appId, String node, String connectionId, String userId, List<String> watchlist) {
        String entry = entry(appId, connectionId, userId);
        return forget(appId, connectionId, userId, watchlist)
                .chain(() -> RedisCalls.send(redis, Command.HDEL, schema.nodeSignedIn(node), entry))
                .replaceWithVoid();
    }

    private Uni<Void> forget(String appId, String connectionId, String userId, List<String> watchlist) {
        List<Uni<Void>> steps = new ArrayList<>();
        String watcher = watcher(appId, userId, connectionId);
        for (String watched : watchlist) {
            steps.add(RedisCalls.send(redis, Command.SREM, schema.watchers(appId, watched), watcher).replaceWithVoid());
        }
        steps.add(users.disconnect(appId, userId, entry(appId, connectionId, userId)).replaceWithVoid());
        return Uni.join().all(steps).andFailFast().replaceWithVoid();
    }

    /** Forgets every signed-in connection of a dead gateway node (see {@link ChannelPresence#reap}); answers how many. */
    public Uni<Integer> reap(String node) {
        return RedisCalls.send(redis, Command.HGETALL, schema.nodeSignedIn(node)).chain(hash -> {
            Map<String, String> signedIn = new LinkedHashMap<>();
            RedisHashes.forEach(hash, signedIn::put);
            return Multi.createFrom().iterable(signedIn.entrySet())
                    .onItem().transformToUni(e -> {
                        String[] parts = PresenceSchema.parseNodeEntry(e.getKey());
                        if (parts == null || !parts[1].startsWith(Channels.SERVER_TO_USER)) {
                            return Uni.createFrom().voidItem();
                        }
                        String userId = parts[1].substring(Channels.SERVER_TO_USER.length());
                        return forget(parts[0], parts[2], userId, PresenceSchema.split(e.getValue()));
                    }).merge(REAP_CONCURRENCY)
                    .collect().asList()
                    .call(() -> RedisCalls.send(redis, Command.DEL, schema.nodeSignedIn(node)))
                    .map(done -> signedIn.size())
                    .invoke(n -> LOG.infof("reaped node %s: %d signed-in connections", node, n));
        });
    }

    /** A signed-in connection as one of its user's connections (a node set entry on the user's own channel). */
    private static String entry(String appId, String connectionId, String userId) {
        return PresenceSchema.nodeEntry(appId, Channels.serverToUser(userId), connectionId);
    }

    private static String watcher(String appId, String userId, String connectionId) {
        return PresenceSchema.joined(List.of(appId, userId, connectionId));
    }
}
