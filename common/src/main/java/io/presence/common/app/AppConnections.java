package io.presence.common.app;

import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one owner of each app's connection count across the cluster ({@code maxConnections}): a hash per app of
 * gateway node -> connections there. Gateways take and give back a place per connection; a gateway that re-registers
 * (its lease was taken again) sets its counts anew; the reaper of a dead gateway drops its share, so a crash never
 * leaks quota.
 */
@ApplicationScoped
public class AppConnections {

    private static final RedisScript SCRIPT = RedisScript.load("app_connections.lua");

    private final Redis redis;
    private final PresenceSchema schema;

    public AppConnections(Redis redis, PresenceStoreConfig store) {
        this.redis = redis;
        this.schema = store.schema();
    }

    /** Takes a place for one connection of the app on this node; false when the app is at {@code max} (-1: no limit). */
    public Uni<Boolean> acquire(String appId, String node, int max) {
        return run(appId, "acquire", node, Integer.toString(max)).map(r -> r.toInteger() == 1);
    }

    /** Gives back the place of one connection. */
    public Uni<Void> release(String appId, String node) {
        return run(appId, "release", node, "0").replaceWithVoid();
    }

    /** Sets this node's counts to what it holds (after its lease was taken again: Redis may have lost them). */
    public Uni<Void> setAll(String node, Map<String, Integer> countsByApp) {
        List<Uni<Void>> sets = new ArrayList<>();
        countsByApp.forEach((app, count) -> sets.add(run(app, "set", node, Integer.toString(count)).replaceWithVoid()));
        return sets.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sets).andCollectFailures().replaceWithVoid();
    }

    /** Drops a dead node's share of every app's count. */
    public Uni<Void> reap(String node, Collection<String> appIds) {
        List<Uni<Void>> drops = new ArrayList<>();
        appIds.forEach(app -> drops.add(run(app, "drop", node, "0").replaceWithVoid()));
        return drops.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(drops).andCollectFailures().replaceWithVoid();
    }

    private Uni<io.vertx.mutiny.redis.client.Response> run(String appId, String op, String node, String arg) {
        return SCRIPT.run(redis, List.of(schema.appConnections(appId)), List.of(op, node, arg));
    }
}
