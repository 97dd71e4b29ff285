package io.presence.common.app;

import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Each app's cluster-wide per-second budgets of its HTTP API ({@code maxBackendEventsPerSecond},
 * {@code maxReadRequestsPerSecond}): one Redis counter per app, kind and second, shared by every gateway.
 */
@ApplicationScoped
public class AppRates {

    /** Events triggered by the app's backend. */
    public static final String EVENTS = "events";
    /** Read requests of the app's backend (channels, users). */
    public static final String READS = "reads";

    private static final RedisScript SCRIPT = RedisScript.load("app_rate.lua");

    private final Redis redis;
    private final PresenceSchema schema;

    public AppRates(Redis redis, PresenceStoreConfig store) {
        this.redis = redis;
        this.schema = store.schema();
    }

    /** Counts {@code n} more of a kind in this second; false (and nothing counted) when that would pass {@code limit}. */
    public Uni<Boolean> take(String appId, String kind, int n, Integer limit) {
        if (limit == null || limit < 0) {
            return Uni.createFrom().item(true);
        }
        long second = System.currentTimeMillis() / 1000;
        return SCRIPT.run(redis, List.of(schema.appRate(appId, kind, second)), List.of(Integer.toString(n), Integer.toString(limit)))
                .map(r -> r.toInteger() == 1);
    }
}
