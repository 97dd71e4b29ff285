package io.presence.common.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.Optional;

/**
 * The app store as Redis holds it for every service: one hash, {@code <prefix>:{apps}}, with the store's
 * {@code version} and its {@code apps} as JSON. user-service writes it after each committed change (never over a newer
 * one); every AppRegistry reads it. One place for the layout and the JSON of the snapshot.
 *
 * @param version the store's change counter (every change counts it up)
 * @param apps    every app, as stored (limits not yet filled with the defaults)
 */
public record AppSnapshot(long version, List<App> apps) {

    private static final RedisScript PUBLISH = RedisScript.load("apps_publish.lua");
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<App>> APPS = new TypeReference<>() {
    };

    public AppSnapshot {
        apps = List.copyOf(apps);
    }

    /** Writes this snapshot unless Redis holds this version or a newer one; true when written. */
    public Uni<Boolean> publish(Redis redis, PresenceSchema schema) {
        String body;
        try {
            body = JSON.writeValueAsString(apps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return PUBLISH.run(redis, List.of(schema.apps()), List.of(Long.toString(version), body)).map(r -> r.toInteger() == 1);
    }

    /** The version Redis holds, or empty when it holds no snapshot (never written, or Redis lost its data). */
    public static Uni<Optional<Long>> storedVersion(Redis redis, PresenceSchema schema) {
        return RedisCalls.send(redis, Command.HGET, schema.apps(), "version")
                .map(r -> r == null ? Optional.<Long>empty() : Optional.of(r.toLong()));
    }

    /** The snapshot Redis holds, or empty when it holds none. */
    public static Uni<Optional<AppSnapshot>> read(Redis redis, PresenceSchema schema) {
        return RedisCalls.send(redis, Command.HMGET, schema.apps(), "version", "apps").map(AppSnapshot::decode);
    }

    private static Optional<AppSnapshot> decode(Response reply) {
        if (reply == null || reply.size() < 2 || reply.get(0) == null || reply.get(1) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AppSnapshot(reply.get(0).toLong(), JSON.readValue(reply.get(1).toString(), APPS)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the app snapshot in Redis is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
