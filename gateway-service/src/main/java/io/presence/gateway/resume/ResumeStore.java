package io.presence.gateway.resume;

import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a resumable client's positions wait between its sockets, in Redis (one hash per client and app, so any
 * gateway finds them): which socket owns the record, and for each channel the last sequence number the closed socket
 * acknowledged. The record lives twice the app's resume window, so a reconnect a little too late is still told what
 * it missed. Each operation is one script call on the record's key (its age is taken on the same node's clock).
 */
@ApplicationScoped
public class ResumeStore {

    private static final RedisScript CLAIM = RedisScript.load("resume_claim.lua");
    private static final RedisScript READ = RedisScript.load("resume_read.lua");
    private static final RedisScript RECORD = RedisScript.load("resume_record.lua");

    /**
     * What a socket's claim found.
     *
     * @param previousOwner the socket that owned the record before ('' when none): open somewhere, or closed
     *                      without recording (its gateway died)
     * @param positions     the record as it was
     */
    public record Claim(String previousOwner, Positions positions) {
    }

    /**
     * A client's record as read.
     *
     * @param channels channel -> last acknowledged sequence number
     * @param released the socket that recorded them ('' when none)
     * @param at       when they were recorded (epoch ms, Redis's clock; 0 when never)
     * @param now      Redis's clock when read (epoch ms)
     */
    public record Positions(Map<String, Long> channels, String released, long at, long now) {

        /** True when the positions were recorded longer ago than {@code window}. */
        public boolean olderThan(Duration window) {
            return at > 0 && now - at > window.toMillis();
        }
    }

    private final Redis redis;
    private final PresenceSchema schema;

    public ResumeStore(Redis redis, PresenceStoreConfig store) {
        this.redis = redis;
        this.schema = store.schema();
    }

    /** Makes {@code socketId} the owner of the client's record; answers who owned it and what it holds. */
    public Uni<Claim> claim(String appId, String clientId, String socketId, Duration ttl) {
        return CLAIM.run(redis, List.of(schema.resume(appId, clientId)), List.of(socketId, Long.toString(ttl.toMillis())))
                .map(reply -> new Claim(reply.get(0).toString(), positions(reply)));
    }

    /** The client's record as it is now. */
    public Uni<Positions> read(String appId, String clientId) {
        return READ.run(redis, List.of(schema.resume(appId, clientId)), List.of()).map(ResumeStore::positions);
    }

    /**
     * Records the positions a closing socket acknowledged, replacing the record's channels; with {@code replace}
     * false (the socket closed before it read the record) the record's channels stay, only ownership is given back.
     */
    public Uni<Void> record(String appId, String clientId, String socketId, Map<String, Long> positions, boolean replace, Duration ttl) {
        List<String> args = new ArrayList<>(3 + positions.size() * 2);
        args.add(socketId);
        args.add(Long.toString(ttl.toMillis()));
        args.add(replace ? "1" : "0");
        positions.forEach((channel, seq) -> {
            args.add(channel);
            args.add(Long.toString(seq));
        });
        return RECORD.run(redis, List.of(schema.resume(appId, clientId)), args).replaceWithVoid();
    }

    /** {previous owner, released, at, now, channel, number, ...} as a record. */
    private static Positions positions(Response reply) {
        Map<String, Long> channels = new HashMap<>();
        for (int i = 4; i + 1 < reply.size(); i += 2) {
            channels.put(reply.get(i).toString(), reply.get(i + 1).toLong());
        }
        return new Positions(Map.copyOf(channels), reply.get(1).toString(), reply.get(2).toLong(), reply.get(3).toLong());
    }
}
